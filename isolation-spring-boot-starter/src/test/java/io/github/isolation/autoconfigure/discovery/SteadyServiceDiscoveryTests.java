package io.github.isolation.autoconfigure.discovery;

import java.time.Duration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.apache.curator.x.discovery.details.ServiceDiscoveryImpl;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registration across a ZooKeeper restart that the session survives, against a real server:
 * Curator's own discovery deletes and recreates the instance's node, the steady one keeps it.
 * A node's creation zxid tells which happened: deleting and recreating changes it, rewriting
 * the data does not.
 */
class SteadyServiceDiscoveryTests {

	private static final String BASE_PATH = "/services";

	private static final String NODE = BASE_PATH + "/pricing/one";

	private TestingServer zookeeper;

	private CuratorFramework client;

	@BeforeEach
	void start() throws Exception {
		this.zookeeper = new TestingServer();
		this.client = CuratorFrameworkFactory.builder()
			.connectString(this.zookeeper.getConnectString())
			.sessionTimeoutMs(60_000)
			.connectionTimeoutMs(5_000)
			.retryPolicy(new ExponentialBackoffRetry(100, 10, 1_000))
			.build();
		this.client.start();
		this.client.blockUntilConnected();
	}

	@AfterEach
	void stop() throws Exception {
		this.client.close();
		this.zookeeper.close();
	}

	@Test
	void shouldKeepTheInstancesNodeThroughAReconnect() throws Exception {
		try (ServiceDiscovery<String> discovery = steady()) {
			discovery.start();
			discovery.registerService(instance());
			Stat before = this.client.checkExists().forPath(NODE);

			restartZookeeper();

			// Re-registered: the data was written again, in the node that was already there.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.client.checkExists().forPath(NODE).getVersion())
					.isGreaterThan(before.getVersion()));
			Stat after = this.client.checkExists().forPath(NODE);
			assertThat(after.getCzxid()).as("the node was never deleted").isEqualTo(before.getCzxid());
			assertThat(after.getEphemeralOwner()).isEqualTo(sessionId());
			assertThat(discovery.queryForInstance("pricing", "one")).isNotNull();
		}
	}

	@Test
	void shouldShowWhatCuratorsOwnRegistrationDoesThroughAReconnect() throws Exception {
		try (ServiceDiscovery<String> discovery = new ServiceDiscoveryImpl<>(this.client, BASE_PATH,
				new JsonInstanceSerializer<>(String.class), null, false)) {
			discovery.start();
			discovery.registerService(instance());
			Stat before = this.client.checkExists().forPath(NODE);

			restartZookeeper();

			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				Stat now = this.client.checkExists().forPath(NODE);
				assertThat(now).isNotNull();
				assertThat(now.getCzxid()).as("deleted and created again").isNotEqualTo(before.getCzxid());
			});
		}
	}

	@Test
	void shouldReplaceANodeLeftByAnotherSession() throws Exception {
		try (CuratorFramework other = CuratorFrameworkFactory.newClient(this.zookeeper.getConnectString(),
				new ExponentialBackoffRetry(100, 3))) {
			other.start();
			other.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(NODE, new byte[0]);
			try (ServiceDiscovery<String> discovery = steady()) {
				discovery.start();
				discovery.registerService(instance());
				Stat stat = this.client.checkExists().forPath(NODE);
				assertThat(stat.getEphemeralOwner()).as("owned by this session, so that it goes with it")
					.isEqualTo(sessionId());
				assertThat(discovery.queryForInstance("pricing", "one").getPayload()).isEqualTo("payload");
			}
		}
	}

	@Test
	void shouldRegisterAFirstTimeAndUnregister() throws Exception {
		try (ServiceDiscovery<String> discovery = steady()) {
			discovery.start();
			discovery.registerService(instance());
			assertThat(this.client.checkExists().forPath(NODE).getEphemeralOwner()).isEqualTo(sessionId());
			discovery.unregisterService(instance());
			assertThat(this.client.checkExists().forPath(NODE)).isNull();
		}
	}

	private SteadyServiceDiscovery<String> steady() {
		return new SteadyServiceDiscovery<>(this.client, BASE_PATH, new JsonInstanceSerializer<>(String.class), null,
				false);
	}

	private static ServiceInstance<String> instance() throws Exception {
		return ServiceInstance.<String>builder()
			.name("pricing")
			.id("one")
			.address("127.0.0.1")
			.port(8080)
			.payload("payload")
			.serviceType(ServiceType.DYNAMIC)
			.build();
	}

	private long sessionId() throws Exception {
		return this.client.getZookeeperClient().getZooKeeper().getSessionId();
	}

	/** Restarts the server on its data, so that the client's session survives. */
	private void restartZookeeper() throws Exception {
		long session = sessionId();
		this.zookeeper.restart();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.client.getZookeeperClient().isConnected() && sessionId() == session);
	}

}
