package io.github.isolation.autoconfigure.zookeeper;

import java.time.Duration;

import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.zookeeper.InstanceAddress;
import io.github.isolation.core.IsolationGroup;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ZookeeperRegistryHealthIndicator}, each state of the view reached with a
 * real ZooKeeper: connected, serving the last view while disconnected, and never loaded.
 */
class ZookeeperRegistryHealthIndicatorTests {

	@Test
	void shouldBeUpWhileConnectedAndWhileServingTheLastViewDisconnected() throws Exception {
		try (TestingServer zookeeper = new TestingServer();
				CuratorFramework client = startClient(zookeeper.getConnectString());
				BindingsView view = new BindingsView(client, BindingPaths.defaults())) {
			new BindingStore(client).bind("inventory", InstanceAddress.parse("10.0.0.7:8080"), IsolationGroup.of("feature-x"));
			view.start();
			ZookeeperRegistryHealthIndicator indicator = indicator(view, zookeeper, true);
			await().atMost(Duration.ofSeconds(5)).until(() -> view.snapshot().instanceBindings().size() == 1);

			Health connected = indicator.health();
			assertThat(connected.getStatus()).isEqualTo(Status.UP);
			assertThat(connected.getDetails()).containsEntry("connection", "CONNECTED")
				.containsEntry("instanceBindings", 1)
				.doesNotContainKey("view");

			zookeeper.stop();

			await().atMost(Duration.ofSeconds(10))
				.until(() -> view.connection() != BindingsView.Connection.CONNECTED);
			Health disconnected = indicator.health();
			assertThat(disconnected.getStatus()).as("routing goes on from the last view").isEqualTo(Status.UP);
			assertThat((String) disconnected.getDetails().get("view"))
				.matches("serving the last view of 1 bindings, \\d+ seconds old");
		}
	}

	@Test
	void shouldBeDownWhenNoViewWasEverLoadedOnlyIfRequired() throws Exception {
		try (TestingServer neverStarted = new TestingServer(InstanceSpec.getRandomPort(), false);
				CuratorFramework client = startClient(neverStarted.getConnectString());
				BindingsView view = new BindingsView(client, BindingPaths.defaults())) {
			view.start();

			Health required = indicator(view, neverStarted, true).health();
			Health optional = indicator(view, neverStarted, false).health();

			assertThat(required.getStatus()).isEqualTo(Status.DOWN);
			assertThat(required.getDetails()).containsEntry("view", "no view of the bindings was ever loaded")
				.containsEntry("initialized", false);
			assertThat(optional.getStatus()).isEqualTo(Status.UP);
			assertThat(optional.getDetails()).containsEntry("view",
					"no view of the bindings loaded yet; routing by discovery metadata");
		}
	}

	private static ZookeeperRegistryHealthIndicator indicator(BindingsView view, TestingServer zookeeper,
			boolean required) {
		return new ZookeeperRegistryHealthIndicator(
				new ZookeeperRegistryState(view, zookeeper.getConnectString(), "/isolation", required));
	}

	private static CuratorFramework startClient(String connectString) {
		CuratorFramework client = CuratorFrameworkFactory.builder()
			.connectString(connectString)
			.sessionTimeoutMs(10_000)
			.connectionTimeoutMs(2_000)
			.retryPolicy(new RetryOneTime(100))
			.build();
		client.start();
		return client;
	}

}
