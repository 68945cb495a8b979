package io.github.isolation.autoconfigure.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.autoconfigure.ServiceInstanceGroupResolver;
import io.github.isolation.autoconfigure.ServiceInstanceRouter;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.InstanceGroupResolver;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.RouteOutcome;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.zookeeper.InstanceAddress;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing over a {@link BindingsView} of a real ZooKeeper: a binding change rebuilds what the
 * router keeps for the changed service only, and routing during churn never decides from half
 * a change.
 */
class ZookeeperRoutingGenerationTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	private static final IsolationTag TO_FEATURE_X = new IsolationTag(FEATURE_X, FailFastServices.NONE);

	private static final AtomicInteger roots = new AtomicInteger();

	private static TestingServer zookeeper;

	private final List<ServiceInstance> inventory = instances("inventory", "10.0.0.");

	private final List<ServiceInstance> orders = instances("orders", "10.0.1.");

	private CuratorFramework client;

	private BindingStore store;

	private BindingsView view;

	@BeforeAll
	static void startZookeeper() throws Exception {
		zookeeper = new TestingServer();
	}

	@AfterAll
	static void stopZookeeper() throws Exception {
		zookeeper.close();
	}

	@BeforeEach
	void setUp() throws Exception {
		this.client = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
				new ExponentialBackoffRetry(100, 3));
		this.client.start();
		assertThat(this.client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
		BindingPaths paths = BindingPaths.of("/isolation-generation-" + roots.incrementAndGet());
		this.store = new BindingStore(this.client, paths, null);
		this.view = new BindingsView(this.client, paths);
		this.view.start();
		assertThat(this.view.awaitInitialized(Duration.ofSeconds(10))).isTrue();
		// Until a binding written after the first load shows, the cache may still be loading.
		awaitLastWriteSeen();
	}

	@AfterEach
	void tearDown() {
		this.view.close();
		this.client.close();
	}

	@Test
	void shouldRebuildOnlyTheIndexOfTheServiceWhoseBindingChanged() {
		// given: both services routed often enough to be indexed
		CountingResolver resolver = new CountingResolver(new ServiceInstanceGroupResolver(this.view));
		ServiceInstanceRouter router = new ServiceInstanceRouter(resolver, FailFastServices.NONE);
		for (int i = 0; i < 3; i++) {
			router.decide("inventory", TO_FEATURE_X, this.inventory);
			router.decide("orders", TO_FEATURE_X, this.orders);
		}
		int inventoryAsked = resolver.asked("inventory");
		int ordersAsked = resolver.asked("orders");

		// when
		this.store.bind("orders", InstanceAddress.parse("10.0.1.2:8080"), FEATURE_X);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.view.instanceGroup("orders", "10.0.1.2", 8080).equals(Optional.of(FEATURE_X)));
		RouteDecision<ServiceInstance> toInventory = router.decide("inventory", TO_FEATURE_X, this.inventory);
		RouteDecision<ServiceInstance> toOrders = router.decide("orders", TO_FEATURE_X, this.orders);

		// then
		assertThat(toInventory.outcome()).isEqualTo(RouteOutcome.FALLBACK);
		assertThat(toInventory.instances()).isEqualTo(this.inventory);
		assertThat(resolver.asked("inventory")).as("groups of inventory asked again").isEqualTo(inventoryAsked);
		assertThat(toOrders.outcome()).isEqualTo(RouteOutcome.OWN_GROUP);
		assertThat(toOrders.instances()).containsExactly(this.orders.get(2));
		assertThat(resolver.asked("orders")).isGreaterThan(ordersAsked);
	}

	@Test
	void shouldNeverRouteByHalfAChangeWhileBindingsChurn() throws Exception {
		// given: inventory's second instance bound to feature-x, and routers reading all along
		ServiceInstance rebound = this.inventory.get(1);
		InstanceAddress address = new InstanceAddress(rebound.getHost(), rebound.getPort());
		this.store.bind("inventory", address, FEATURE_X);
		awaitLastWriteSeen();
		ServiceInstanceRouter router = new ServiceInstanceRouter(new ServiceInstanceGroupResolver(this.view),
				FailFastServices.NONE);
		List<ServiceInstance> stable = List.of(this.inventory.get(0), this.inventory.get(2));
		AtomicBoolean stop = new AtomicBoolean();
		AtomicLong decisions = new AtomicLong();
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		CountDownLatch done = new CountDownLatch(2);
		for (int r = 0; r < 2; r++) {
			Thread reader = new Thread(() -> {
				try {
					while (!stop.get()) {
						// In feature-x or in feature-y, never unbound (and so stable) in between.
						RouteDecision<ServiceInstance> tagged = router.decide("inventory", TO_FEATURE_X, this.inventory);
						boolean own = tagged.outcome() == RouteOutcome.OWN_GROUP
								&& tagged.instances().equals(List.of(rebound));
						boolean fellBack = tagged.outcome() == RouteOutcome.FALLBACK && tagged.instances().equals(stable);
						if (!own && !fellBack) {
							failures.add("tagged call routed " + tagged.outcome() + " to " + tagged.instances());
						}
						RouteDecision<ServiceInstance> untagged = router.decide("inventory", IsolationTag.UNTAGGED,
								this.inventory);
						if (!untagged.instances().equals(stable)) {
							failures.add("untagged call routed to " + untagged.instances());
						}
						decisions.incrementAndGet();
					}
				}
				finally {
					done.countDown();
				}
			});
			reader.setDaemon(true);
			reader.start();
		}

		// when: rebound 100 times, while other services' bindings come and go
		for (int round = 0; round < 100; round++) {
			this.store.bind("inventory", address, (round % 2 == 0) ? FEATURE_Y : FEATURE_X);
			InstanceAddress other = InstanceAddress.parse("10.0.1." + (round % 10) + ":8080");
			if (round % 20 < 10) {
				this.store.bind("orders", other, FEATURE_Y);
			}
			else {
				this.store.unbind("orders", other);
			}
		}
		awaitLastWriteSeen();
		stop.set(true);
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

		// then: the last round left the instance in feature-x, and no router keeps an older index
		assertThat(failures).isEmpty();
		assertThat(decisions.get()).isPositive();
		RouteDecision<ServiceInstance> last = router.decide("inventory", TO_FEATURE_X, this.inventory);
		assertThat(last.outcome()).isEqualTo(RouteOutcome.OWN_GROUP);
		assertThat(last.instances()).containsExactly(rebound);
	}

	/** Writes a binding and waits for it: ZooKeeper delivers changes in order, so all before it have arrived. */
	private void awaitLastWriteSeen() {
		InstanceAddress marker = InstanceAddress.parse("10.9.9.9:" + (1000 + roots.incrementAndGet()));
		this.store.bind("marker", marker, FEATURE_X);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.view.instanceGroup("marker", marker.host(), marker.port()).isPresent());
	}

	private static List<ServiceInstance> instances(String serviceId, String prefix) {
		return List.of(instance(serviceId, prefix + "0"), instance(serviceId, prefix + "1"),
				instance(serviceId, prefix + "2"));
	}

	private static ServiceInstance instance(String serviceId, String host) {
		return new DefaultServiceInstance(serviceId + "@" + host, serviceId, host, 8080, false, Map.of());
	}

	/** Counts the groups asked for, per service, and answers as the resolver it wraps. */
	private static final class CountingResolver implements InstanceGroupResolver<ServiceInstance> {

		private final ServiceInstanceGroupResolver delegate;

		private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

		CountingResolver(ServiceInstanceGroupResolver delegate) {
			this.delegate = delegate;
		}

		int asked(String serviceId) {
			AtomicInteger count = this.asked.get(serviceId);
			return (count != null) ? count.get() : 0;
		}

		@Override
		public IsolationGroup groupOf(ServiceInstance instance) {
			this.asked.computeIfAbsent(instance.getServiceId(), (id) -> new AtomicInteger()).incrementAndGet();
			return this.delegate.groupOf(instance);
		}

		@Override
		public IsolationGroup groupOf(ServiceInstance instance, IsolationGroup likely) {
			this.asked.computeIfAbsent(instance.getServiceId(), (id) -> new AtomicInteger()).incrementAndGet();
			return this.delegate.groupOf(instance, likely);
		}

		@Override
		public long generation() {
			return this.delegate.generation();
		}

		@Override
		public long generation(String serviceId) {
			return this.delegate.generation(serviceId);
		}

		@Override
		public boolean isRunningIn(ServiceInstance instance, IsolationGroup group) {
			return this.delegate.isRunningIn(instance, group);
		}

	}

}
