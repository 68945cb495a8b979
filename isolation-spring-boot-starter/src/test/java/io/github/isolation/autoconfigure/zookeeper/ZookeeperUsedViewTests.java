package io.github.isolation.autoconfigure.zookeeper;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.BindingsScope;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.zookeeper.InstanceAddress;
import io.github.isolation.zookeeper.InstanceBinding;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerCacheAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code isolation.zookeeper.view=used} against a real ZooKeeper: the application holds its own
 * service, the configured ones and those it calls, learned as its load-balancer clients are
 * created, and the first call to a service is routed by that service's binding at once.
 */
class ZookeeperUsedViewTests {

	private static final String INSTANCES = "spring.cloud.discovery.client.simple.instances.";

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final AtomicInteger roots = new AtomicInteger();

	private static TestingServer zookeeper;

	private CuratorFramework client;

	private BindingPaths paths;

	private BindingStore store;

	@BeforeAll
	static void startZookeeper() throws Exception {
		zookeeper = new TestingServer();
	}

	@AfterAll
	static void stopZookeeper() throws Exception {
		zookeeper.close();
	}

	@BeforeEach
	void setUp() {
		this.client = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
		this.client.start();
		this.paths = BindingPaths.of("/isolation-used-" + roots.incrementAndGet());
		this.store = new BindingStore(this.client, this.paths, null);
	}

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IsolationZookeeperAutoConfiguration.class,
					IsolationAutoConfiguration.class, UtilAutoConfiguration.class,
					SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
					LoadBalancerCacheAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
					BlockingLoadBalancerClientAutoConfiguration.class))
			.withPropertyValues("isolation.zookeeper.connect-string=" + zookeeper.getConnectString(),
					"isolation.zookeeper.root=" + this.paths.root(), "isolation.zookeeper.view=used",
					"isolation.zookeeper.view-services=audit", "spring.application.name=orders",
					INSTANCES + "billing[0].uri=http://10.0.1.1:8080", INSTANCES + "billing[1].uri=http://10.0.1.2:8080");
	}

	@Test
	void shouldRouteTheFirstCallToAServiceByItsBindingAndHoldOnlyUsedServices() throws Exception {
		// given: billing's second instance is bound to feature-x only in ZooKeeper
		this.store.bind("billing", InstanceAddress.parse("10.0.1.2:8080"), FEATURE_X);
		this.store.bind("payments", InstanceAddress.parse("10.0.2.1:8080"), FEATURE_X);
		this.store.bind("audit", InstanceAddress.parse("10.0.3.1:8080"), FEATURE_X);
		this.store.bindSource("10.0.8.15", FEATURE_X);
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			BindingsView view = context.getBean(BindingsView.class);
			assertThat(view.awaitInitialized(Duration.ofSeconds(10))).isTrue();
			assertThat(view.followedServices()).containsExactlyInAnyOrder("orders", "audit");

			// when: the first call to billing creates its load-balancer client
			ServiceInstanceListSupplier supplier = context.getBean(LoadBalancerClientFactory.class)
				.getInstance("billing", ServiceInstanceListSupplier.class);
			List<String> tagged = hostsOf(supplier.get(request("feature-x")).blockFirst());
			List<String> untagged = hostsOf(supplier.get(request(null)).blockFirst());

			// then: routed by the binding at once, and nothing of unused services held
			assertThat(tagged).containsExactly("10.0.1.2");
			assertThat(untagged).containsExactly("10.0.1.1");
			assertThat(view.followedServices()).containsExactlyInAnyOrder("orders", "audit", "billing");
			assertThat(view.snapshot().instanceBindings()).extracting(InstanceBinding::serviceId)
				.containsExactlyInAnyOrder("billing", "audit");
			assertThat(view.sourceGroup("10.0.8.15")).isEmpty();
		});
	}

	@Test
	void shouldHoldTheSourceBindingsAtAnEdgeOnly() {
		runner().withPropertyValues("isolation.edge.enabled=true", "isolation.zookeeper.view-first-read-timeout=3s")
			.run((context) -> assertThat(context.getBean(BindingsView.class).scope())
				.isEqualTo(BindingsScope.used(List.of("audit", "orders"), true, Duration.ofSeconds(3))));
		runner().run((context) -> assertThat(context.getBean(BindingsView.class).scope().sources()).isFalse());
	}

	@Test
	void shouldHoldEverythingByDefault() {
		runner().withPropertyValues("isolation.zookeeper.view=all")
			.run((context) -> assertThat(context.getBean(BindingsView.class).scope()).isEqualTo(BindingsScope.all()));
	}

	@Test
	void shouldFailToStartWithAMalformedViewServiceNamingTheProperty() {
		runner().withPropertyValues("isolation.zookeeper.view-services=audit,not a service")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageStartingWith("isolation.zookeeper.view-services: "));
	}

	private static List<String> hostsOf(List<ServiceInstance> instances) {
		return instances.stream().map(ServiceInstance::getHost).toList();
	}

	private static Request<RequestDataContext> request(String group) {
		HttpHeaders headers = new HttpHeaders();
		if (group != null) {
			headers.add(IsolationTags.GROUP, group);
		}
		return new DefaultRequest<>(new RequestDataContext(new RequestData(HttpMethod.GET,
				URI.create("http://billing/items"), headers, new LinkedMultiValueMap<>(), new HashMap<>())));
	}

}
