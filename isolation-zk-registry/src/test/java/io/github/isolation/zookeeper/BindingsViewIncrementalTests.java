package io.github.isolation.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A change of one binding updates the view by itself: other services keep their generation,
 * and readers only ever see whole snapshots, against a real ZooKeeper.
 */
class BindingsViewIncrementalTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	private static final InstanceAddress TARGET = InstanceAddress.parse("10.0.0.7:8080");

	private static TestingServer server;

	private CuratorFramework client;

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
		BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
		this.store = new BindingStore(this.client, paths, null);
		this.view = new BindingsView(this.client, paths);
	}

	@AfterEach
	void tearDown() {
		this.view.close();
		this.client.close();
	}

	@Test
	void shouldChangeTheGenerationOfTheChangedServiceOnly() throws Exception {
		// given
		this.store.bind("inventory", TARGET, FEATURE_X);
		this.store.bind("orders", InstanceAddress.parse("10.0.0.8:8080"), FEATURE_X);
		startAndAwaitFollowing();
		long orders = this.view.generation("orders");
		long inventory = this.view.generation("inventory");
		long unbound = this.view.generation("payments");
		long global = this.view.generation();
		InstanceBinding ordersBinding = this.view.snapshot().instanceBinding("orders", "10.0.0.8", 8080).orElseThrow();

		// when
		this.store.bind("inventory", TARGET, FEATURE_Y);
		awaitGroup("inventory", TARGET, Optional.of(FEATURE_Y));
		long rebound = this.view.generation("inventory");
		this.store.bindSource("10.0.8.15", FEATURE_X);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.view.sourceGroup("10.0.8.15").isPresent());
		long afterSource = this.view.generation("inventory");
		this.store.unbind("inventory", TARGET);
		awaitGroup("inventory", TARGET, Optional.empty());

		// then
		assertThat(rebound).isGreaterThan(inventory);
		assertThat(afterSource).isEqualTo(rebound);
		assertThat(this.view.generation("inventory")).isGreaterThan(rebound);
		assertThat(this.view.generation("Inventory")).isEqualTo(this.view.generation("inventory"));
		assertThat(this.view.generation()).isGreaterThan(global);
		assertThat(this.view.generation("orders")).isEqualTo(orders);
		assertThat(this.view.generation("payments")).isEqualTo(unbound);
		// The other service's binding is the very object it was: nothing of it was rebuilt.
		assertThat(this.view.snapshot().instanceBinding("orders", "10.0.0.8", 8080)).containsSame(ordersBinding);
	}

	@Test
	void shouldGiveAServiceBoundForTheFirstTimeANewGeneration() throws Exception {
		// given
		this.store.bind("orders", InstanceAddress.parse("10.0.0.8:8080"), FEATURE_X);
		startAndAwaitFollowing();
		long before = this.view.generation("payments");

		// when
		this.store.bind("payments", TARGET, FEATURE_X);
		awaitGroup("payments", TARGET, Optional.of(FEATURE_X));

		// then
		assertThat(this.view.generation("payments")).isNotEqualTo(before);
		assertThat(this.view.generation("PAYMENTS")).isEqualTo(this.view.generation("payments"));
	}

	@Test
	void shouldServeOnlyWholeSnapshotsToReadersDuringChurn() throws Exception {
		// given: one instance rebound over and over, and other services' bindings coming and going
		this.store.bind("inventory", TARGET, FEATURE_X);
		for (int i = 0; i < 20; i++) {
			this.store.bind("orders", InstanceAddress.parse("10.0.1." + i + ":8080"), FEATURE_X);
		}
		startAndAwaitFollowing();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicLong reads = new AtomicLong();
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		CountDownLatch readersDone = new CountDownLatch(2);
		for (int r = 0; r < 2; r++) {
			Thread reader = new Thread(() -> {
				try {
					while (!stop.get()) {
						read(failures);
						reads.incrementAndGet();
					}
				}
				finally {
					readersDone.countDown();
				}
			});
			reader.setDaemon(true);
			reader.start();
		}

		// when
		int rounds = 100;
		for (int round = 0; round < rounds; round++) {
			this.store.bind("inventory", TARGET, (round % 2 == 0) ? FEATURE_Y : FEATURE_X);
			InstanceAddress other = InstanceAddress.parse("10.0.2." + (round % 10) + ":8080");
			if (round % 20 < 10) {
				this.store.bind("payments", other, FEATURE_Y);
			}
			else {
				this.store.unbind("payments", other);
			}
		}
		// ZooKeeper delivers the changes in order: once a last write shows, all before it have.
		InstanceAddress done = InstanceAddress.parse("10.9.9.8:9999");
		this.store.bind("sentinel", done, FEATURE_X);
		awaitGroup("sentinel", done, Optional.of(FEATURE_X));
		stop.set(true);
		assertThat(readersDone.await(10, TimeUnit.SECONDS)).isTrue();

		// then
		assertThat(failures).isEmpty();
		assertThat(reads.get()).isPositive();
		// the last round bound the instance to feature-x and left no payments binding
		assertThat(this.view.instanceGroup("inventory", TARGET.host(), TARGET.port())).contains(FEATURE_X);
		assertThat(this.view.snapshot().instanceBindings()).noneMatch((b) -> b.serviceId().equals("payments"));
		assertThat(this.view.snapshot().instanceBindingCount()).isEqualTo(23);
		assertThat(this.view.snapshot().instanceCounts()).isEqualTo(Map.of(FEATURE_X, 23));
	}

	private void read(ConcurrentLinkedQueue<String> failures) {
		// A rebind is new data in the same node: the instance is in one group or the other,
		// never unbound in between.
		Optional<IsolationGroup> group = this.view.instanceGroup("inventory", TARGET.host(), TARGET.port());
		if (group.isEmpty()) {
			failures.add("inventory unbound while being rebound");
		}
		BindingsSnapshot snapshot = this.view.snapshot();
		List<InstanceBinding> all = snapshot.instanceBindings();
		int counted = snapshot.instanceCounts().values().stream().mapToInt(Integer::intValue).sum();
		if (all.size() != snapshot.instanceBindingCount() || counted != all.size()) {
			failures.add("snapshot of " + snapshot.instanceBindingCount() + " bindings lists " + all.size()
					+ " and counts " + counted);
		}
		for (InstanceBinding binding : all) {
			Optional<InstanceBinding> looked = snapshot.instanceBinding(binding.serviceId(), binding.address().host(),
					binding.address().port());
			if (!looked.equals(Optional.of(binding))) {
				failures.add("snapshot lists " + binding + " but looks up " + looked);
			}
		}
		long orders = all.stream().filter((binding) -> binding.serviceId().equals("orders")).count();
		if (orders != 20) {
			failures.add("snapshot has " + orders + " bindings of orders, which never changed");
		}
	}

	/**
	 * Starts the view and waits until it follows ZooKeeper change by change: until a binding
	 * written after the first load shows, the cache may still be loading the whole tree.
	 */
	private void startAndAwaitFollowing() throws InterruptedException {
		this.view.start();
		assertThat(this.view.awaitInitialized(Duration.ofSeconds(5))).isTrue();
		InstanceAddress sentinel = InstanceAddress.parse("10.9.9.9:9999");
		this.store.bind("sentinel", sentinel, FEATURE_X);
		awaitGroup("sentinel", sentinel, Optional.of(FEATURE_X));
	}

	private void awaitGroup(String serviceId, InstanceAddress address, Optional<IsolationGroup> group) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.view.instanceGroup(serviceId, address.host(), address.port()).equals(group));
	}

}
