package io.github.isolation.it.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.isolation.autoconfigure.discovery.SteadyServiceDiscovery;
import io.github.isolation.autoconfigure.zookeeper.IsolationZookeeperClient;
import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainClient;
import io.github.isolation.testsupport.Bridge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.curator.utils.ZKPaths;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.Watcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.zookeeper.discovery.ZookeeperDiscoveryProperties;
import org.springframework.cloud.zookeeper.serviceregistry.ZookeeperRegistration;

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

		Counter heldDecisions = this.b.context()
			.getBean(MeterRegistry.class)
			.counter("isolation.routing.decisions", "service", "c", "outcome", "held", "group", "feature-h");
		double heldBefore = heldDecisions.count();

		for (int i = 0; i < 20; i++) {
			assertThat(tagged("feature-h")).isEqualTo("a@stable > b@stable > c@feature-h");
		}
		assertThat(heldDecisions.count() - heldBefore).as("held decisions for this test's calls").isEqualTo(20);

		// Stopped: the binding goes with it, and the group's calls fall back.
		held.context().close();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(tagged("feature-h")).isEqualTo("a@stable > b@stable > c@stable"));
	}

	@Test
	void shouldRemoveItsBindingBeforeItsRegistrationWhenItShutsDown() throws Exception {
		Instance stopping = this.chain.start("c", "feature-s", null);
		String binding = "/isolation/bindings/c/127.0.0.1:" + stopping.port();
		String registration = registrationPath(stopping);
		try (CuratorFramework observer = CuratorFrameworkFactory.newClient(this.zookeeper.getConnectString(),
				new RetryOneTime(100))) {
			observer.start();
			// ZooKeeper notifies one client of changes in the order it made them: the order of
			// these deletions is the order of the shutdown.
			List<String> deleted = new CopyOnWriteArrayList<>();
			Watcher deletions = (event) -> {
				if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
					deleted.add(event.getPath());
				}
			};
			for (String path : List.of(binding, registration)) {
				observer.watchers().add().withMode(AddWatchMode.PERSISTENT).usingWatcher(deletions).forPath(path);
			}
			await().atMost(Duration.ofSeconds(5))
				.until(() -> observer.checkExists().forPath(binding) != null
						&& observer.checkExists().forPath(registration) != null);

			stopping.context().close();

			await().atMost(Duration.ofSeconds(10)).until(() -> deleted.size() == 2);
			assertThat(deleted).as("nodes deleted as the instance shut down, in order")
				.containsExactly(binding, registration);
		}
	}

	@Test
	void shouldRemoveItsBindingWhenItsContextStopsAndBindAgainWhenStarted() throws Exception {
		Instance stopping = this.chain.start("c", "feature-r", null);
		CuratorFramework client = this.b.context().getBean(CuratorFramework.class);
		DiscoveryClient discovery = this.b.context().getBean(DiscoveryClient.class);
		String binding = "/isolation/bindings/c/127.0.0.1:" + stopping.port();
		await().atMost(Duration.ofSeconds(5)).until(() -> client.checkExists().forPath(binding) != null);

		stopping.context().stop();

		await().atMost(Duration.ofSeconds(5)).until(() -> client.checkExists().forPath(binding) == null);
		assertThat(discovery.getInstances("c")).as("still registered: a stopped context keeps its registration")
			.anyMatch((each) -> each.getPort() == stopping.port());

		stopping.context().start();

		await().atMost(Duration.ofSeconds(5)).until(() -> client.checkExists().forPath(binding) != null);
		stopping.context().close();
		await().atMost(Duration.ofSeconds(5)).until(() -> client.checkExists().forPath(binding) == null);
	}

	private static String registrationPath(Instance instance) {
		ServiceInstance<?> registered = instance.context().getBean(ZookeeperRegistration.class).getServiceInstance();
		String root = instance.context().getBean(ZookeeperDiscoveryProperties.class).getRoot();
		return ZKPaths.makePath(root, registered.getName(), registered.getId());
	}

	private String tagged(String group) {
		Reply reply = this.chain.call(this.a, ChainClient.RESTCLIENT, "isolation-group", group);
		assertThat(reply.status()).as("status of %s", reply).isEqualTo(200);
		return reply.body();
	}

}
