package io.github.isolation.it.zookeeper;

import java.time.Duration;

import io.github.isolation.autoconfigure.discovery.SteadyServiceDiscovery;
import io.github.isolation.autoconfigure.zookeeper.IsolationZookeeperClient;
import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.ChainClient;
import io.github.isolation.testsupport.Bridge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chain on Spring Cloud ZooKeeper discovery, as the services of a real deployment run:
 * isolation shares discovery's Curator client, and an instance that stops takes its
 * registration and its binding with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZookeeperDiscoveryTests {

	private final TestingServer zookeeper;

	private final Chain chain;

	private final Instance c1;

	private final Instance b;

	private final Instance a;

	ZookeeperDiscoveryTests() throws Exception {
		this.zookeeper = new TestingServer();
		this.chain = new Chain(Bridge.BRAVE, true).with("spring.cloud.zookeeper.enabled=true",
				"spring.cloud.zookeeper.connect-string=" + this.zookeeper.getConnectString(),
				"spring.cloud.zookeeper.discovery.instance-host=127.0.0.1",
				// A stopped instance must leave the load balancer's view at once, not after a cache expiry.
				"spring.cloud.loadbalancer.cache.enabled=false");
		this.chain.start("c", null, null);
		this.c1 = this.chain.start("c", "feature-x", null);
		this.b = this.chain.start("b", null, "c");
		this.a = this.chain.start("a", null, "b");
	}

	@AfterAll
	void stop() throws Exception {
		this.chain.close();
		this.zookeeper.close();
	}

	@Test
	void shouldShareSpringCloudZookeepersClient() {
		IsolationZookeeperClient isolation = this.b.context().getBean(IsolationZookeeperClient.class);

		assertThat(isolation.owned()).isFalse();
		assertThat(isolation.client()).isSameAs(this.b.context().getBean(CuratorFramework.class));
	}

	@Test
	void shouldRegisterThroughTheSteadyDiscovery() {
		assertThat(this.b.context().getBean(ServiceDiscovery.class)).isInstanceOf(SteadyServiceDiscovery.class);
	}

	@Test
	void shouldFallBackToStableOnceAFeatureInstanceStops() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(tagged("feature-x")).isEqualTo("a@stable > b@stable > c@feature-x"));
		CuratorFramework client = this.b.context().getBean(CuratorFramework.class);
		String binding = "/isolation/bindings/c/127.0.0.1:" + this.c1.port();
		assertThat(client.checkExists().forPath(binding).getEphemeralOwner()).isNotZero();

		this.c1.context().close();

		await().atMost(Duration.ofSeconds(5)).until(() -> client.checkExists().forPath(binding) == null);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(tagged("feature-x")).isEqualTo("a@stable > b@stable > c@stable"));
		for (int i = 0; i < 20; i++) {
			assertThat(tagged("feature-x")).isEqualTo("a@stable > b@stable > c@stable");
		}
	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void shouldKeepCallingAFeatureInstanceThatDiscoveryLeavesOutWhileItRuns() {
		Instance held = this.chain.start("c", "feature-h", null);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(tagged("feature-h")).isEqualTo("a@stable > b@stable > c@feature-h"));
		DiscoveryClient discovery = this.b.context().getBean(DiscoveryClient.class);

		// Out of discovery, as a registry that drops an instance for a while leaves it; its
		// ephemeral binding, held by its session, says it still runs.
		ServiceRegistry registry = held.context().getBean(ServiceRegistry.class);
		registry.deregister(held.context().getBean(Registration.class));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> discovery.getInstances("c").stream().noneMatch((each) -> each.getPort() == held.port()));

		for (int i = 0; i < 20; i++) {
			assertThat(tagged("feature-h")).isEqualTo("a@stable > b@stable > c@feature-h");
		}
		Counter heldDecisions = this.b.context()
			.getBean(MeterRegistry.class)
			.find("isolation.routing.decisions")
			.tags("service", "c", "outcome", "held", "group", "feature-h")
			.counter();
		assertThat(heldDecisions).isNotNull();
		assertThat(heldDecisions.count()).isGreaterThanOrEqualTo(20);

		// Stopped: the binding goes with it, and the group's calls fall back.
		held.context().close();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(tagged("feature-h")).isEqualTo("a@stable > b@stable > c@stable"));
	}

	@Test
	void shouldRemoveItsBindingBeforeAnythingElseStopsAndBindAgainWhenStarted() throws Exception {
		Instance stopping = this.chain.start("c", "feature-s", null);
		CuratorFramework client = this.b.context().getBean(CuratorFramework.class);
		DiscoveryClient discovery = this.b.context().getBean(DiscoveryClient.class);
		String binding = "/isolation/bindings/c/127.0.0.1:" + stopping.port();
		await().atMost(Duration.ofSeconds(5)).until(() -> client.checkExists().forPath(binding) != null);

		stopping.context().stop();

		await().atMost(Duration.ofSeconds(5)).until(() -> client.checkExists().forPath(binding) == null);
		assertThat(discovery.getInstances("c")).as("still registered: the binding went first")
			.anyMatch((each) -> each.getPort() == stopping.port());

		stopping.context().start();

		await().atMost(Duration.ofSeconds(5)).until(() -> client.checkExists().forPath(binding) != null);
		stopping.context().close();
		await().atMost(Duration.ofSeconds(5)).until(() -> client.checkExists().forPath(binding) == null);
	}

	private String tagged(String group) {
		return this.chain.call(this.a, ChainClient.RESTCLIENT, "isolation-group", group).body();
	}

}
