package io.github.isolation.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class BindingsViewTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

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
		this.view = new BindingsView(this.client, this.paths);
	}

	@AfterEach
	void tearDown() {
		this.view.close();
		this.client.close();
	}

	@Test
	void shouldLoadExistingBindingsOnStart() throws Exception {
		this.store.bind("inventory", InstanceAddress.parse("10.0.0.7:8080"), FEATURE_X);
		this.store.bindSource("10.1.2.3", FEATURE_Y);

		this.view.start();

		assertThat(this.view.awaitInitialized(Duration.ofSeconds(5))).isTrue();
		assertThat(this.view.isInitialized()).isTrue();
		assertThat(this.view.instanceGroup("inventory", "10.0.0.7", 8080)).contains(FEATURE_X);
		assertThat(this.view.sourceGroup("10.1.2.3")).contains(FEATURE_Y);
		assertThat(this.view.connection()).isEqualTo(BindingsView.Connection.CONNECTED);
		assertThat(this.view.age()).isZero();
		assertThat(this.view.lastUpdated()).isPresent();
		assertThat(this.view.disconnectedSince()).isEmpty();
	}

	@Test
	void shouldSeeAWriteAndForgetItsDelete() throws Exception {
		startAndAwaitLoaded();
		InstanceAddress address = InstanceAddress.parse("10.0.0.7:8080");
		assertThat(this.view.instanceGroup("inventory", "10.0.0.7", 8080)).isEmpty();

		this.store.bind("inventory", address, FEATURE_X);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.view.instanceGroup("inventory", "10.0.0.7", 8080).equals(Optional.of(FEATURE_X)));

		this.store.bind("inventory", address, FEATURE_Y);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.view.instanceGroup("inventory", "10.0.0.7", 8080).equals(Optional.of(FEATURE_Y)));

		this.store.unbind("inventory", address);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.view.instanceGroup("inventory", "10.0.0.7", 8080).isEmpty());
	}

	@Test
	void shouldAdvanceTheGenerationOnlyAfterEachNewSnapshotIsServed() throws Exception {
		List<String> seenByListener = new CopyOnWriteArrayList<>();
		this.view.addListener(new BindingsListener() {

			@Override
			public void bindingsChanged(BindingsSnapshot snapshot) {
				seenByListener.add(BindingsViewTests.this.view.generation() + " "
						+ (BindingsViewTests.this.view.snapshot() == snapshot));
			}

		});
		long beforeStart = this.view.generation();
		startAndAwaitLoaded();
		long loaded = this.view.generation();

		this.store.bind("inventory", InstanceAddress.parse("10.0.0.7:8080"), FEATURE_X);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.view.instanceGroup("inventory", "10.0.0.7", 8080).equals(Optional.of(FEATURE_X)));
		long bound = this.view.generation();
		this.store.bind("inventory", InstanceAddress.parse("10.0.0.7:8080"), FEATURE_Y);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.view.instanceGroup("inventory", "10.0.0.7", 8080).equals(Optional.of(FEATURE_Y)));

		assertThat(beforeStart).isZero();
		assertThat(loaded).isEqualTo(1);
		assertThat(bound).isGreaterThan(loaded);
		assertThat(this.view.generation()).isGreaterThan(bound);
		// Each listener call sees the snapshot it is told about served already, under a new number.
		assertThat(seenByListener).first().isEqualTo("1 true");
		assertThat(seenByListener).allSatisfy((seen) -> assertThat(seen).endsWith(" true"))
			.extracting((seen) -> Long.parseLong(seen.substring(0, seen.indexOf(' '))))
			.isSorted()
			.doesNotHaveDuplicates()
			.last()
			.isEqualTo(this.view.generation());
	}

	@Test
	void shouldAnswerLookupsInAnySpellingOfTheSameInstance() throws Exception {
		this.store.bind("inventory", InstanceAddress.parse("[fd00::7]:8080"), FEATURE_X);
		this.store.bind("orders", InstanceAddress.parse("orders-1.example.com:80"), FEATURE_X);
		this.store.bindSource("0:0:0:0:0:0:0:1", FEATURE_Y);
		startAndAwaitLoaded();

		assertThat(this.view.instanceGroup("INVENTORY", "fd00:0:0:0:0:0:0:7", 8080)).contains(FEATURE_X);
		assertThat(this.view.instanceGroup("inventory", "[FD00::7]", 8080)).contains(FEATURE_X);
		assertThat(this.view.instanceGroup("ORDERS", "Orders-1.Example.com", 80)).contains(FEATURE_X);
		assertThat(this.view.sourceGroup("::1")).contains(FEATURE_Y);
		assertThat(this.view.sourceGroup("0:0:0:0:0:0:0:1")).contains(FEATURE_Y);
		assertThat(this.view.instanceGroup("inventory", "fd00::7", 8081)).isEmpty();
		assertThat(this.view.instanceGroup(null, null, 0)).isEmpty();
		assertThat(this.view.instanceGroup("in ventory", "not a host", -1)).isEmpty();
		assertThat(this.view.sourceGroup(null)).isEmpty();
		assertThat(this.view.sourceGroup("evil.example.com")).isEmpty();
	}

	@Test
	void shouldTellListenersAndSurviveOneThatThrows() throws Exception {
		List<BindingsSnapshot> seen = new CopyOnWriteArrayList<>();
		this.view.addListener(new BindingsListener() {

			@Override
			public void bindingsChanged(BindingsSnapshot snapshot) {
				throw new IllegalStateException("a broken listener");
			}

		});
		this.view.addListener(new BindingsListener() {

			@Override
			public void bindingsChanged(BindingsSnapshot snapshot) {
				seen.add(snapshot);
			}

		});
		startAndAwaitLoaded();

		this.store.bind("inventory", InstanceAddress.parse("10.0.0.7:8080"), FEATURE_X);
		this.store.bind("inventory", InstanceAddress.parse("10.0.0.8:8080"), FEATURE_X);

		await().atMost(Duration.ofSeconds(5)).until(() -> this.view.snapshot().instanceBindings().size() == 2);
		assertThat(seen).last().satisfies((snapshot) -> {
			assertThat(snapshot.instanceBindings()).hasSize(2);
			assertThat(snapshot.instanceCounts()).containsExactly(Map.entry(FEATURE_X, 2));
		});
	}

	@Test
	void shouldStartOnceAndCloseAnyNumberOfTimes() throws Exception {
		startAndAwaitLoaded();

		assertThatIllegalStateException().isThrownBy(this.view::start).withMessage("BindingsView can be started only once");
		this.view.close();
		this.view.close();
		assertThatIllegalStateException().isThrownBy(this.view::start);
		// A closed view no longer follows ZooKeeper but still answers.
		this.store.bind("inventory", InstanceAddress.parse("10.0.0.7:8080"), FEATURE_X);
		assertThat(this.view.instanceGroup("inventory", "10.0.0.7", 8080)).isEmpty();
	}

	@Test
	void shouldSkipEachCorruptNodeWithOneWarningAndKeepTheRest() throws Exception {
		ListAppender<ILoggingEvent> warnings = captureWarnings();
		List<String> skipped = new CopyOnWriteArrayList<>();
		this.view.addListener(new BindingsListener() {

			@Override
			public void nodeSkipped(String path, String reason) {
				skipped.add(path);
			}

		});
		try {
			String bindings = this.paths.bindingsPath();
			this.store.bind("inventory", InstanceAddress.parse("10.0.0.1:8080"), FEATURE_X);
			this.store.bindSource("10.1.2.3", FEATURE_Y);
			create(bindings + "/inventory/10.0.0.2:8080", new byte[] { (byte) 0xff, (byte) 0xfe, 'x' });
			create(bindings + "/inventory/10.0.0.3:8080", "Feature X!".getBytes(StandardCharsets.UTF_8));
			create(bindings + "/inventory/10.0.0.4:8080", new byte[1_000_000]);
			create(bindings + "/inventory/not-an-address", "feature-x".getBytes(StandardCharsets.UTF_8));
			create(bindings + "/inventory/10.0.0.1:8080/extra", "feature-x".getBytes(StandardCharsets.UTF_8));
			create(bindings + "/-bad-service-/10.0.0.5:8080", "feature-x".getBytes(StandardCharsets.UTF_8));
			create(this.paths.root() + "/foo", "feature-x".getBytes(StandardCharsets.UTF_8));
			create(this.paths.root() + "/foo/bar", "feature-x".getBytes(StandardCharsets.UTF_8));
			create(this.paths.sourcesPath() + "/not-an-ip", "feature-x".getBytes(StandardCharsets.UTF_8));
			// What isolation-kafka keeps under the root is not a binding, and not a node to warn about.
			create(this.paths.root() + "/" + BindingPaths.KAFKA + "/orders/orders/order-placed/feature-x/0",
					"42".getBytes(StandardCharsets.UTF_8));
			// Another spelling of the same binding: the canonical one wins.
			create(bindings + "/INVENTORY/10.0.0.1:8080", "feature-y".getBytes(StandardCharsets.UTF_8));
			create(bindings + "/inventory/10.0.0.6:8080", new byte[0]);
			List<String> expected = List.of(bindings + "/inventory/10.0.0.2:8080", bindings + "/inventory/10.0.0.3:8080",
					bindings + "/inventory/10.0.0.4:8080", bindings + "/inventory/not-an-address",
					bindings + "/inventory/10.0.0.1:8080/extra", bindings + "/-bad-service-",
					this.paths.root() + "/foo", this.paths.sourcesPath() + "/not-an-ip", bindings + "/INVENTORY/10.0.0.1:8080",
					bindings + "/inventory/10.0.0.6:8080");

			startAndAwaitLoaded();

			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(skipped).hasSameSizeAs(expected));
			assertThat(skipped).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(this.view.snapshot().instanceBindings()).containsExactly(
					new InstanceBinding("inventory", InstanceAddress.parse("10.0.0.1:8080"), FEATURE_X, false));
			assertThat(this.view.snapshot().sourceBindings()).containsExactly(new SourceBinding("10.1.2.3", FEATURE_Y, false));

			// Rebuilds for other changes do not warn again about the same bad nodes.
			this.store.bind("orders", InstanceAddress.parse("10.0.0.9:8080"), FEATURE_X);
			this.store.bind("orders", InstanceAddress.parse("10.0.0.9:8080"), FEATURE_Y);
			this.store.bindSource("10.1.2.4", FEATURE_X);
			await().atMost(Duration.ofSeconds(5)).until(() -> this.view.sourceGroup("10.1.2.4").isPresent()
					&& this.view.instanceGroup("orders", "10.0.0.9", 8080).equals(Optional.of(FEATURE_Y)));
			assertThat(skipped).hasSameSizeAs(expected);
			assertThat(warnings.list).filteredOn((event) -> event.getLevel() == Level.WARN)
				.extracting(ILoggingEvent::getFormattedMessage)
				.hasSameSizeAs(expected)
				.allSatisfy((message) -> assertThat(message).startsWith("Skipping '" + this.paths.root()))
				.anySatisfy((message) -> assertThat(message).endsWith(": data is not UTF-8"))
				.anySatisfy((message) -> assertThat(message).endsWith(": data 'Feature X!' is not a valid group name"))
				.anySatisfy((message) -> assertThat(message)
					.endsWith(": data of 1000000 bytes is too long for a group name"));

			// A repaired node joins the view.
			this.client.setData().forPath(bindings + "/inventory/10.0.0.3:8080", "feature-x".getBytes(StandardCharsets.UTF_8));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.view.instanceGroup("inventory", "10.0.0.3", 8080).isPresent());
		}
		finally {
			((Logger) LoggerFactory.getLogger(BindingsView.class)).detachAppender(warnings);
		}
	}

	private void startAndAwaitLoaded() throws InterruptedException {
		this.view.start();
		assertThat(this.view.awaitInitialized(Duration.ofSeconds(5))).isTrue();
	}

	private void create(String path, byte[] data) throws Exception {
		this.client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, data);
	}

	private static ListAppender<ILoggingEvent> captureWarnings() {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		((Logger) LoggerFactory.getLogger(BindingsView.class)).addAppender(appender);
		return appender;
	}

}
