package io.github.isolation.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class SelfBindingTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	private static final InstanceAddress ADDRESS = InstanceAddress.parse("10.0.0.7:8080");

	private static TestingServer server;

	private CuratorFramework observer;

	private BindingPaths paths;

	private String path;

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
		this.observer = ZooKeeperTestSupport.startClient(server.getConnectString());
		this.paths = ZooKeeperTestSupport.uniquePaths();
		this.path = this.paths.instancePath("inventory", ADDRESS);
	}

	@AfterEach
	void tearDown() {
		this.observer.close();
	}

	@Test
	void shouldBindWhileRunningAndUnbindOnClose() throws Exception {
		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString())) {
			SelfBinding binding = new SelfBinding(client, this.paths, null, "Inventory", ADDRESS, FEATURE_X);
			assertThat(binding.status()).isEqualTo(SelfBinding.Status.LATENT);

			binding.start();

			awaitOwnedBy(client);
			assertThat(groupAt(this.path)).isEqualTo("feature-x");
			await().atMost(Duration.ofSeconds(5)).until(() -> binding.status() == SelfBinding.Status.BOUND);
			assertThatIllegalStateException().isThrownBy(binding::start);

			binding.close();
			binding.close();

			await().atMost(Duration.ofSeconds(5)).until(() -> this.observer.checkExists().forPath(this.path) == null);
			assertThat(binding.status()).isEqualTo(SelfBinding.Status.CLOSED);
		}
	}

	@Test
	void shouldVanishWhenItsOwnerCrashes() throws Exception {
		try (SelfBindingProcess owner = SelfBindingProcess.start(server.getConnectString(), this.paths, "inventory",
				ADDRESS, FEATURE_X)) {
			assertThat(ownerOf(this.path)).isEqualTo(owner.sessionId());

			// Killed, not shut down: the session is never closed, so only its expiry on the
			// server (2 s here) removes the node.
			owner.kill();

			await().atMost(Duration.ofSeconds(10)).until(() -> this.observer.checkExists().forPath(this.path) == null);
		}
	}

	@Test
	void shouldVanishWhenItsOwnerClosesItsSession() throws Exception {
		CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString());
		SelfBinding binding = new SelfBinding(client, this.paths, null, "inventory", ADDRESS, FEATURE_X);
		binding.start();
		awaitOwnedBy(client);

		// The client closes its session without closing the binding.
		client.close();

		await().atMost(Duration.ofSeconds(5)).until(() -> this.observer.checkExists().forPath(this.path) == null);
	}

	@Test
	void shouldBeRestoredAfterItsSessionExpires() throws Exception {
		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString());
				SelfBinding binding = new SelfBinding(client, this.paths, null, "inventory", ADDRESS, FEATURE_X)) {
			binding.start();
			long oldSession = awaitOwnedBy(client);

			KillSession.kill(client.getZookeeperClient().getZooKeeper());

			// The old session's node stays until the server expires it; then the new one's is made.
			await().atMost(Duration.ofSeconds(5))
				.until(() -> ownerOf(this.path), (owner) -> owner != oldSession && owner == sessionOf(client));
			assertThat(sessionOf(client)).isNotEqualTo(oldSession);
			assertThat(groupAt(this.path)).isEqualTo("feature-x");
		}
	}

	@Test
	void shouldBeRestoredAfterZooKeeperRestarts() throws Exception {
		try (TestingServer own = ZooKeeperTestSupport.startServer();
				CuratorFramework ownObserver = ZooKeeperTestSupport.startClient(own.getConnectString());
				CuratorFramework client = ZooKeeperTestSupport.startClient(own.getConnectString());
				SelfBinding binding = new SelfBinding(client, this.paths, null, "inventory", ADDRESS, FEATURE_X)) {
			binding.start();
			long oldSession = await().atMost(Duration.ofSeconds(5))
				.until(() -> ownerOf(ownObserver, this.path), (owner) -> owner == sessionOf(client));
			AtomicBoolean lost = new AtomicBoolean();
			client.getConnectionStateListenable()
				.addListener((c, state) -> lost.compareAndSet(false, state == ConnectionState.LOST));

			own.stop();
			// Down for longer than a session, so that the node must be made anew in a new session.
			await().atMost(Duration.ofSeconds(10)).untilTrue(lost);
			own.restart();

			await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
				.until(() -> ownerOf(ownObserver, this.path), (owner) -> owner != oldSession && owner == sessionOf(client));
			assertThat(new String(ownObserver.getData().forPath(this.path), StandardCharsets.UTF_8)).isEqualTo("feature-x");
		}
	}

	@Test
	void shouldLeaveAnOperatorsPersistentBindingAloneAndTakeOverWhenItGoes() throws Exception {
		BindingStore operator = new BindingStore(this.observer, this.paths, null);
		operator.bind("inventory", ADDRESS, FEATURE_Y);

		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString());
				SelfBinding binding = new SelfBinding(client, this.paths, null, "inventory", ADDRESS, FEATURE_X)) {
			binding.start();

			await().atMost(Duration.ofSeconds(5)).until(() -> binding.status() == SelfBinding.Status.OVERRIDDEN);
			assertThat(groupAt(this.path)).isEqualTo("feature-y");
			assertThat(ownerOf(this.path)).isZero();

			operator.unbind("inventory", ADDRESS);

			awaitOwnedBy(client);
			assertThat(groupAt(this.path)).isEqualTo("feature-x");
			await().atMost(Duration.ofSeconds(5)).until(() -> binding.status() == SelfBinding.Status.BOUND);
		}
	}

	@Test
	void shouldShowInAViewAsTheInstancesOwnBindingWhileItRunsAndAnOperatorsAsNot() throws Exception {
		try (BindingsView view = new BindingsView(this.observer, this.paths)) {
			view.start();
			CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString());
			SelfBinding binding = new SelfBinding(client, this.paths, null, "inventory", ADDRESS, FEATURE_X);
			binding.start();

			await().atMost(Duration.ofSeconds(5))
				.until(() -> view.selfBoundGroup("inventory", "10.0.0.7", 8080).isPresent());
			assertThat(view.selfBoundGroup("INVENTORY", "10.0.0.7", 8080)).contains(FEATURE_X);
			assertThat(view.selfBoundGroup("inventory", "10.0.0.7", 8081)).isEmpty();

			// The instance's session ends, and the binding goes with it.
			client.close();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> view.instanceGroup("inventory", "10.0.0.7", 8080).isEmpty());

			new BindingStore(this.observer, this.paths, null).bind("inventory", ADDRESS, FEATURE_Y);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> view.instanceGroup("inventory", "10.0.0.7", 8080).isPresent());
			assertThat(view.selfBoundGroup("inventory", "10.0.0.7", 8080)).as("an operator's binding outlives the instance")
				.isEmpty();
		}
	}

	@Test
	void shouldNotRemoveAnOperatorsBindingOnClose() throws Exception {
		new BindingStore(this.observer, this.paths, null).bind("inventory", ADDRESS, FEATURE_Y);
		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString())) {
			SelfBinding binding = new SelfBinding(client, this.paths, null, "inventory", ADDRESS, FEATURE_X);
			binding.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> binding.status() == SelfBinding.Status.OVERRIDDEN);

			binding.close();
		}

		assertThat(groupAt(this.path)).isEqualTo("feature-y");
		assertThat(ownerOf(this.path)).isZero();
	}

	private long awaitOwnedBy(CuratorFramework client) {
		return await().atMost(Duration.ofSeconds(5))
			.until(() -> ownerOf(this.path), (owner) -> owner == sessionOf(client));
	}

	private static long sessionOf(CuratorFramework client) {
		try {
			return client.getZookeeperClient().getZooKeeper().getSessionId();
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private long ownerOf(String path) throws Exception {
		return ownerOf(this.observer, path);
	}

	private static long ownerOf(CuratorFramework observer, String path) throws Exception {
		Stat stat = observer.checkExists().forPath(path);
		return (stat != null) ? stat.getEphemeralOwner() : -1;
	}

	private String groupAt(String path) throws Exception {
		return new String(this.observer.getData().forPath(path), StandardCharsets.UTF_8);
	}

}
