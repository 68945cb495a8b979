package io.github.isolation.console;

import java.time.Clock;

import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.zookeeper.DigestCredentials;
import io.github.isolation.zookeeper.EdgeRuleStore;
import io.github.isolation.zookeeper.EdgeRulesView;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The console's ZooKeeper client, its view of the bindings, the store it writes through, and
 * the monitor that joins them with discovery. Every bean can be replaced by one of the user's.
 *
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {

	/**
	 * One client for bindings and, where Spring Cloud ZooKeeper discovery is on, for discovery
	 * too (its own client backs off when this one exists). With {@code isolation.zookeeper.auth}
	 * it authenticates every session with the digest credentials, so writes pass the ACLs.
	 */
	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnMissingBean
	CuratorFramework curatorFramework(ConsoleZookeeperProperties zookeeper,
			@Value("${spring.cloud.zookeeper.connect-string:localhost:2181}") String springCloudConnectString) {
		String connectString = (zookeeper.getConnectString() != null && !zookeeper.getConnectString().isBlank())
				? zookeeper.getConnectString() : springCloudConnectString;
		CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
			.connectString(connectString)
			.sessionTimeoutMs((int) zookeeper.getSessionTimeout().toMillis())
			.connectionTimeoutMs((int) zookeeper.getConnectionTimeout().toMillis())
			.retryPolicy(new ExponentialBackoffRetry(500, 10, 10_000));
		DigestCredentials credentials = credentials(zookeeper);
		if (credentials != null) {
			credentials.authorize(builder).aclProvider(credentials.aclProvider(paths(zookeeper)));
		}
		return builder.build();
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnMissingBean
	BindingsView bindingsView(CuratorFramework client, ConsoleZookeeperProperties zookeeper) {
		return new BindingsView(client, paths(zookeeper));
	}

	@Bean
	@ConditionalOnMissingBean
	BindingStore bindingStore(CuratorFramework client, ConsoleZookeeperProperties zookeeper) {
		return new BindingStore(client, paths(zookeeper), credentials(zookeeper));
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnMissingBean
	EdgeRulesView edgeRulesView(CuratorFramework client, ConsoleZookeeperProperties zookeeper) {
		return new EdgeRulesView(client, paths(zookeeper));
	}

	@Bean
	@ConditionalOnMissingBean
	EdgeRuleStore edgeRuleStore(CuratorFramework client, ConsoleZookeeperProperties zookeeper) {
		return new EdgeRuleStore(client, paths(zookeeper), credentials(zookeeper));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EnvironmentMonitor environmentMonitor(DiscoveryClient discoveryClient, BindingsView bindingsView,
			CuratorFramework client, ConsoleProperties properties) {
		return new EnvironmentMonitor(discoveryClient, bindingsView, client, properties.getRefreshInterval(),
				properties.getGoneRetention(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	NodeDetails nodeDetails(CuratorFramework client) {
		return new NodeDetails(client);
	}

	@Bean
	@ConditionalOnMissingBean
	RoutePlanner routePlanner(EnvironmentMonitor monitor) {
		return new RoutePlanner(monitor);
	}

	@Bean
	@ConditionalOnMissingBean
	AuditLog auditLog() {
		return new AuditLog();
	}

	@Bean
	Shown shown(ConsoleProperties properties) {
		return new Shown(properties.getMaxShownLength());
	}

	private static BindingPaths paths(ConsoleZookeeperProperties zookeeper) {
		return BindingPaths.of(zookeeper.getRoot());
	}

	private static DigestCredentials credentials(ConsoleZookeeperProperties zookeeper) {
		String auth = zookeeper.getAuth();
		return (auth != null && !auth.isEmpty()) ? DigestCredentials.parse(auth) : null;
	}

}
