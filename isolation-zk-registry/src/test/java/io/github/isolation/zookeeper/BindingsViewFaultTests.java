package io.github.isolation.zookeeper;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.apache.curator.test.TestingZooKeeperServer;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.testsupport.Ensembles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The view against a ZooKeeper that goes away: stopped, restarted, sessions expired, a leader
 * killed. The view must answer from memory throughout and catch up once ZooKeeper is back.
 */
class BindingsViewFaultTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	private static final InstanceAddress FIRST = InstanceAddress.parse("10.0.0.1:8080");

	private static final InstanceAddress SECOND = InstanceAddress.parse("10.0.0.2:8080");

	@Test
	void shouldServeTheLastViewWhileZooKeeperIsDownAndCatchUpAfterRestart() throws Exception {
		try (TestingServer server = ZooKeeperTestSupport.startServer();
				CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString());
				BindingsView view = new BindingsView(client, BindingPaths.defaults())) {
			BindingStore store = new BindingStore(client);
			store.bind("inventory", FIRST, FEATURE_X);
			view.start();
			assertThat(view.awaitInitialized(Duration.ofSeconds(5))).isTrue();

			server.stop();

			// Past the session timeout, so the view sees the session lost, not just suspended.
			await().atMost(Duration.ofSeconds(10)).until(() -> view.connection() == BindingsView.Connection.LOST);
			assertThat(view.instanceGroup("inventory", "10.0.0.1", 8080)).contains(FEATURE_X);
			assertThat(view.disconnectedSince()).isPresent();
			assertThat(view.age()).isPositive();

			server.restart();
			try (CuratorFramework operator = ZooKeeperTestSupport.startClient(server.getConnectString())) {
				BindingStore operatorStore = new BindingStore(operator);
				operatorStore.bind("inventory", SECOND, FEATURE_Y);
				operatorStore.unbind("inventory", FIRST);
			}

			await().atMost(Duration.ofSeconds(5))
				.until(() -> view.instanceGroup("inventory", "10.0.0.2", 8080).equals(Optional.of(FEATURE_Y))
						&& view.instanceGroup("inventory", "10.0.0.1", 8080).isEmpty());
			assertThat(view.connection()).isEqualTo(BindingsView.Connection.CONNECTED);
			assertThat(view.disconnectedSince()).isEmpty();
			assertThat(view.age()).isZero();
		}
	}

	@Test
	void shouldCatchUpAfterItsSessionExpires() throws Exception {
		try (TestingServer server = ZooKeeperTestSupport.startServer();
				CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString());
				CuratorFramework operator = ZooKeeperTestSupport.startClient(server.getConnectString());
				BindingsView view = new BindingsView(client, BindingPaths.defaults())) {
			BindingStore store = new BindingStore(operator);
			store.bind("inventory", FIRST, FEATURE_X);
			view.start();
			assertThat(view.awaitInitialized(Duration.ofSeconds(5))).isTrue();
			long session = client.getZookeeperClient().getZooKeeper().getSessionId();

			KillSession.kill(client.getZookeeperClient().getZooKeeper());
			assertThat(view.instanceGroup("inventory", "10.0.0.1", 8080)).contains(FEATURE_X);
			store.bind("inventory", SECOND, FEATURE_Y);
			store.unbind("inventory", FIRST);

			await().atMost(Duration.ofSeconds(5))
				.until(() -> view.instanceGroup("inventory", "10.0.0.2", 8080).equals(Optional.of(FEATURE_Y))
						&& view.instanceGroup("inventory", "10.0.0.1", 8080).isEmpty());
			assertThat(client.getZookeeperClient().getZooKeeper().getSessionId()).isNotEqualTo(session);
		}
	}

	@Test
	void shouldStartEmptyWhileZooKeeperIsDownAndLoadOnceItIsUp() throws Exception {
		int port = freePort();
		try (TestingServer server = new TestingServer(ZooKeeperTestSupport.spec(port, -1), false);
				CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString());
				BindingsView view = new BindingsView(client, BindingPaths.defaults())) {
			view.start();

			assertThat(view.awaitInitialized(Duration.ofMillis(500))).isFalse();
			assertThat(view.isInitialized()).isFalse();
			assertThat(view.connection()).isEqualTo(BindingsView.Connection.CONNECTING);
			assertThat(view.instanceGroup("inventory", "10.0.0.1", 8080)).isEmpty();
			assertThat(view.snapshot().isEmpty()).isTrue();
			assertThat(view.age()).isPositive();

			server.start();
			try (CuratorFramework operator = ZooKeeperTestSupport.startClient(server.getConnectString())) {
				new BindingStore(operator).bind("inventory", FIRST, FEATURE_X);
			}

			await().atMost(Duration.ofSeconds(10))
				.until(() -> view.instanceGroup("inventory", "10.0.0.1", 8080).equals(Optional.of(FEATURE_X)));
			assertThat(view.isInitialized()).isTrue();
			assertThat(view.connection()).isEqualTo(BindingsView.Connection.CONNECTED);
		}
	}

	@Test
	void shouldKeepAnsweringWhenTheLeaderOfAThreeNodeClusterDies() throws Exception {
		try (TestingCluster cluster = new TestingCluster(Ensembles.specs(3, ZooKeeperTestSupport.TICK_MS))) {
			cluster.start();
			try (CuratorFramework client = ZooKeeperTestSupport.startClient(cluster.getConnectString());
					BindingsView view = new BindingsView(client, BindingPaths.defaults())) {
				new BindingStore(client).bind("inventory", FIRST, FEATURE_X);
				view.start();
				assertThat(view.awaitInitialized(Duration.ofSeconds(10))).isTrue();

				InstanceSpec leader = await().atMost(Duration.ofSeconds(10)).until(() -> leaderOf(cluster),
						(spec) -> spec != null);
				assertThat(cluster.killServer(leader)).isTrue();

				assertThat(view.instanceGroup("inventory", "10.0.0.1", 8080)).contains(FEATURE_X);
				try (CuratorFramework operator = ZooKeeperTestSupport.startClient(cluster.getConnectString())) {
					new BindingStore(operator).bind("inventory", SECOND, FEATURE_Y);
				}
				await().atMost(Duration.ofSeconds(5))
					.until(() -> view.instanceGroup("inventory", "10.0.0.2", 8080).equals(Optional.of(FEATURE_Y)));
				assertThat(view.instanceGroup("inventory", "10.0.0.1", 8080)).contains(FEATURE_X);
			}
		}
	}

	private static InstanceSpec leaderOf(TestingCluster cluster) throws Exception {
		for (TestingZooKeeperServer server : cluster.getServers()) {
			InstanceSpec spec = server.getInstanceSpec();
			String status = FourLetterWordMain.send4LetterWord("127.0.0.1", spec.getPort(), "srvr");
			if (status.contains("Mode: leader")) {
				return spec;
			}
		}
		return null;
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("127.0.0.1", 0));
			return socket.getLocalPort();
		}
	}

}
