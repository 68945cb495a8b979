package io.github.isolation.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A view that holds only the services an instance uses, against a real ZooKeeper: it holds
 * their bindings and nothing else, reads a newly used service before its first decision,
 * follows the used services live, and hears nothing of the others.
 */
class BindingsViewUsedTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	private static final InstanceAddress FIRST = InstanceAddress.parse("10.0.0.7:8080");

	private static final InstanceAddress SECOND = InstanceAddress.parse("10.0.0.8:8080");

	private static TestingServer server;

	private CuratorFramework client;

	private BindingPaths paths;

	private BindingStore store;

	private BindingsView view;

	@BeforeAll
	static void startServer() throws Exception {
		server = ZooKeeperTestSupport.startServer();
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@BeforeEach
	void setUp() {
		this.client = ZooKeeperTestSupport.startClient(server.getConnectString());
		this.paths = ZooKeeperTestSupport.uniquePaths();
		this.store = new BindingStore(this.client, this.paths, null);
	}

	@AfterEach
	void tearDown() {
		if (this.view != null) {
			this.view.close();
		}
		this.client.close();
	}

	@Test
	void shouldHoldOnlyTheBindingsOfConfiguredAndPreparedServices() throws Exception {
		// given
		this.store.bind("orders", FIRST, FEATURE_X);
		this.store.bind("inventory", FIRST, FEATURE_X);
		this.store.bind("payments", FIRST, FEATURE_X);
		this.store.bind("payments", SECOND, FEATURE_Y);
		this.store.bindSource("10.0.8.15", FEATURE_X);
		startView(List.of("Orders"), false);

		// when
		this.view.prepare("inventory");

		// then
		assertThat(this.view.followedServices()).containsExactly("inventory", "orders");
		assertThat(this.view.snapshot().instanceBindings()).extracting(InstanceBinding::serviceId)
			.containsExactlyInAnyOrder("orders", "inventory");
		assertThat(this.view.instanceGroup("payments", "10.0.0.7", 8080)).isEmpty();
		assertThat(this.view.sourceGroup("10.0.8.15")).isEmpty();
		assertThat(this.view.snapshot().sourceBindingCount()).isZero();
	}

	@Test
	void shouldHoldTheSourceBindingsWhenAskedTo() throws Exception {
		// given
		this.store.bindSource("10.0.8.15", FEATURE_X);
		this.store.bind("payments", FIRST, FEATURE_X);

		// when
		startView(List.of(), true);

		// then
		assertThat(this.view.sourceGroup("10.0.8.15")).contains(FEATURE_X);
		assertThat(this.view.instanceGroup("payments", "10.0.0.7", 8080)).isEmpty();
	}

	@Test
	void shouldRouteAServiceCalledForTheFirstTimeByItsBindingAtOnce() throws Exception {
		// given: the view is running and has never heard of payments
		startView(List.of("orders"), false);
		this.store.bind("payments", FIRST, FEATURE_X);
		long before = this.view.generation("payments");

		// when
		this.view.prepare("Payments");

		// then: no waiting after prepare returns
		assertThat(this.view.instanceGroup("payments", "10.0.0.7", 8080)).contains(FEATURE_X);
		assertThat(this.view.generation("payments")).isNotEqualTo(before);
	}

	@Test
	void shouldFollowChangesOfAUsedServiceLive() throws Exception {
		// given
		this.store.bind("payments", FIRST, FEATURE_X);
		startView(List.of(), false);
		this.view.prepare("payments");

		// when
		this.store.bind("payments", FIRST, FEATURE_Y);
		this.store.bind("payments", SECOND, FEATURE_X);

		// then
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.view.instanceGroup("payments", "10.0.0.8", 8080)).contains(FEATURE_X));
		assertThat(this.view.instanceGroup("payments", "10.0.0.7", 8080)).contains(FEATURE_Y);

		// and when
		this.store.unbind("payments", FIRST);

		// then
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.view.instanceGroup("payments", "10.0.0.7", 8080)).isEmpty());
	}

	@Test
	void shouldFollowAUsedServiceThatHasNoBindingsYet() throws Exception {
		// given: nothing of orders in ZooKeeper, not even its node
		startView(List.of("orders"), false);
		assertThat(this.view.snapshot().instanceBindingCount()).isZero();

		// when
		this.store.bind("orders", FIRST, FEATURE_X);

		// then
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.view.instanceGroup("orders", "10.0.0.7", 8080)).contains(FEATURE_X));
	}

	@Test
	void shouldHearNothingOfServicesItDoesNotUse() throws Exception {
		// given
		this.store.bind("payments", FIRST, FEATURE_X);
		startView(List.of("payments"), false);
		AtomicInteger changes = new AtomicInteger();
		AtomicInteger skipped = new AtomicInteger();
		this.view.addListener(new BindingsListener() {

			@Override
			public void bindingsChanged(BindingsSnapshot snapshot) {
				changes.incrementAndGet();
			}

			@Override
			public void nodeSkipped(String path, String reason) {
				skipped.incrementAndGet();
			}

		});
		long generation = this.view.generation();

		// when: other services change, a malformed node among them, and then a used one
		for (int i = 0; i < 50; i++) {
			this.store.bind("other-" + i, FIRST, FEATURE_X);
		}
		this.client.create().creatingParentsIfNeeded().forPath(this.paths.servicePath("other-0") + "/not-an-address",
				"feature-x".getBytes());
		this.store.bind("payments", FIRST, FEATURE_Y);

		// then: ZooKeeper delivers a session's events in order, so had the others reached the
		// view, they would have reached it before the used service's change
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.view.instanceGroup("payments", "10.0.0.7", 8080)).contains(FEATURE_Y));
		assertThat(changes).hasValue(1);
		assertThat(skipped).hasValue(0);
		assertThat(this.view.generation()).isEqualTo(generation + 1);
		assertThat(this.view.snapshot().instanceBindingCount()).isEqualTo(1);
	}

	@Test
	void shouldRouteByMetadataWithoutFailingWhenZookeeperIsUnreachableAtTheFirstCall() throws Exception {
		try (TestingServer own = ZooKeeperTestSupport.startServer();
				CuratorFramework ownClient = ZooKeeperTestSupport.startClient(own.getConnectString())) {
			// given
			new BindingStore(ownClient, this.paths, null).bind("payments", FIRST, FEATURE_X);
			BindingsView unreachable = new BindingsView(ownClient, this.paths,
					BindingsScope.used(Set.of(), false, Duration.ofMillis(300)));
			unreachable.start();
			try {
				own.stop();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> unreachable.connection() != BindingsView.Connection.CONNECTED);

				// when
				unreachable.prepare("payments");

				// then: no binding yet, so discovery metadata decides; the call was not failed
				assertThat(unreachable.instanceGroup("payments", "10.0.0.7", 8080)).isEmpty();
				assertThat(unreachable.followedServices()).containsExactly("payments");

				// and when ZooKeeper is back, the binding arrives by itself
				own.restart();
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(unreachable.instanceGroup("payments", "10.0.0.7", 8080))
						.contains(FEATURE_X));
			}
			finally {
				unreachable.close();
			}
		}
	}

	@Test
	void shouldRejectAMalformedServiceIdInTheScope() {
		assertThatIllegalArgumentException().isThrownBy(() -> BindingsScope.used(List.of("not a service"), false, Duration.ofSeconds(1)))
			.withMessageContaining("service id must be");
	}

	private void startView(List<String> services, boolean sources) throws InterruptedException {
		this.view = new BindingsView(this.client, this.paths,
				BindingsScope.used(services, sources, Duration.ofSeconds(10)));
		this.view.start();
		assertThat(this.view.awaitInitialized(Duration.ofSeconds(10))).isTrue();
		assertThat(this.view.followedServices()).hasSize((int) services.stream().distinct().count());
	}

}
