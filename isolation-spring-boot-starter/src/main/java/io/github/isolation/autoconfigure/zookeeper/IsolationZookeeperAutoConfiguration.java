package io.github.isolation.autoconfigure.zookeeper;

import java.util.LinkedHashSet;
import java.util.Set;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.IsolationProperties;
import io.github.isolation.autoconfigure.edge.EdgeRuleActivity;
import io.github.isolation.autoconfigure.edge.IsolationEdgeProperties;
import io.github.isolation.autoconfigure.observation.BoundedGroupNames;
import io.github.isolation.autoconfigure.observation.IsolationEndpoint;
import io.github.isolation.autoconfigure.observation.RecentDecisions;
import io.github.isolation.zookeeper.BindingNames;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.BindingsScope;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.zookeeper.DigestCredentials;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.retry.ExponentialBackoffRetry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Reads the group of every instance, and of this one, from bindings in ZooKeeper
 * (binding first, discovery metadata second, stable last), and binds this instance to its
 * {@code isolation.group}. Active when isolation-zk-registry is on the class path and a
 * connect string is configured ({@code isolation.zookeeper.connect-string}, else
 * {@code spring.cloud.zookeeper.connect-string}). With Spring Cloud ZooKeeper's client in the
 * context and no credentials of its own, it shares that client.
 *
 * <p>Nothing here waits for ZooKeeper: an application starts, and routes by discovery
 * metadata, while ZooKeeper is down, and picks the bindings up once it connects.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = IsolationAutoConfiguration.class,
		afterName = "org.springframework.cloud.zookeeper.ZookeeperAutoConfiguration")
@ConditionalOnClass({ BindingsView.class, CuratorFramework.class })
@ConditionalOnBooleanProperty(name = "isolation.enabled", matchIfMissing = true)
@Conditional(IsolationZookeeperAutoConfiguration.OnConnectString.class)
@EnableConfigurationProperties({ IsolationProperties.class, IsolationZookeeperProperties.class })
public class IsolationZookeeperAutoConfiguration {

	static final String SPRING_CLOUD_CONNECT_STRING = "spring.cloud.zookeeper.connect-string";

	@Bean
	@ConditionalOnMissingBean
	IsolationZookeeperClient isolationZookeeperClient(IsolationZookeeperProperties properties,
			ObjectProvider<CuratorFramework> springCloudClient, Environment environment) {
		BindingPaths paths = BindingPaths.of(properties.getRoot());
		DigestCredentials credentials = (properties.getAuth() != null) ? DigestCredentials.parse(properties.getAuth())
				: null;
		String springCloudConnectString = environment.getProperty(SPRING_CLOUD_CONNECT_STRING);
		String connectString = (properties.getConnectString() != null) ? properties.getConnectString()
				: springCloudConnectString;
		CuratorFramework shared = springCloudClient.getIfUnique();
		// Credentials must be presented on every session, which only a client built with them does.
		if (shared != null && credentials == null && connectString.equals(springCloudConnectString)) {
			return new IsolationZookeeperClient(shared, paths, null, false);
		}
		CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
			.connectString(connectString)
			.sessionTimeoutMs((int) properties.getSessionTimeout().toMillis())
			.connectionTimeoutMs((int) properties.getConnectionTimeout().toMillis())
			.retryPolicy(new ExponentialBackoffRetry(500, 10, 10_000));
		if (credentials != null) {
			credentials.authorize(builder).aclProvider(credentials.aclProvider(paths));
		}
		CuratorFramework client = builder.build();
		client.start();
		return new IsolationZookeeperClient(client, paths, credentials, true);
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnMissingBean
	BindingsView isolationBindingsView(IsolationZookeeperClient zookeeper, IsolationZookeeperProperties properties,
			Environment environment) {
		return new BindingsView(zookeeper.client(), zookeeper.paths(), scope(properties, environment));
	}

	/**
	 * What the view holds: everything, or (view=used) this application's own service, the
	 * configured ones, and the source bindings only at an edge, which is the only place that
	 * reads them.
	 */
	static BindingsScope scope(IsolationZookeeperProperties properties, Environment environment) {
		if (properties.getView() == IsolationZookeeperProperties.View.ALL) {
			return BindingsScope.all();
		}
		Set<String> services = new LinkedHashSet<>(properties.getViewServices());
		String own = environment.getProperty("spring.application.name");
		if (own != null) {
			try {
				services.add(BindingNames.checkServiceId(own));
			}
			catch (IllegalArgumentException ex) {
				// Not a service id bindings can name, so it has no bindings to hold.
			}
		}
		boolean edge = environment.getProperty(IsolationEdgeProperties.PREFIX + ".enabled", Boolean.class, false);
		return BindingsScope.used(services, edge, properties.getViewFirstReadTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	ZookeeperLocalGroup isolationLocalGroup(IsolationZookeeperClient zookeeper, BindingsView bindings,
			IsolationProperties properties, ObjectProvider<Registration> registration,
			ObjectProvider<InetUtils> inetUtils) {
		return new ZookeeperLocalGroup(zookeeper, bindings, properties, registration, inetUtils);
	}

	@Bean
	@ConditionalOnMissingBean
	ZookeeperRegistryState isolationZookeeperRegistryState(BindingsView view, IsolationZookeeperClient zookeeper,
			IsolationZookeeperProperties properties) {
		return new ZookeeperRegistryState(view, zookeeper.client().getZookeeperClient().getCurrentConnectionString(),
				properties.getRoot(), properties.isRequired());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "isolationZookeeperHealthIndicator")
		ZookeeperRegistryHealthIndicator isolationZookeeperHealthIndicator(ZookeeperRegistryState state) {
			return new ZookeeperRegistryHealthIndicator(state);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnBooleanProperty("isolation.debug.endpoint-writes")
	static class WritableEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean(IsolationEndpoint.class)
		WritableIsolationEndpoint isolationEndpoint(ZookeeperLocalGroup localGroup, IsolationProperties properties,
				RecentDecisions decisions, BindingsView bindings, ObjectProvider<LoadBalancerClientFactory> loadBalancers,
				ObjectProvider<IsolationEndpoint.RegistryState> registry, ObjectProvider<IsolationEdgeProperties> edge,
				ObjectProvider<EdgeRuleActivity> edgeRules, ObjectProvider<IsolationEndpoint.Section> sections,
				IsolationZookeeperClient zookeeper) {
			return new WritableIsolationEndpoint(localGroup, properties, decisions, bindings, loadBalancers, registry,
					edge, edgeRules, sections, zookeeper);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ZookeeperMetrics isolationZookeeperMetrics(BindingsView view, IsolationProperties properties) {
			return new ZookeeperMetrics(view, new BoundedGroupNames(properties.getMetrics().getMaxGroups()));
		}

	}

	static class OnConnectString extends AnyNestedCondition {

		OnConnectString() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(IsolationZookeeperProperties.PREFIX + ".connect-string")
		static class IsolationConnectString {

		}

		@ConditionalOnProperty(SPRING_CLOUD_CONNECT_STRING)
		static class SpringCloudConnectString {

		}

	}

}
