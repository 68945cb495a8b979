package io.github.isolation.zookeeper;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * Real ZooKeeper servers and clients for the tests, tuned so that fault paths finish fast:
 * a tick of 100 ms lets sessions be as short as 2 s, so an expired session's ephemeral nodes
 * go within seconds rather than the 40 s a default server would take.
 */
public final class ZooKeeperTestSupport {

	static final int TICK_MS = 100;

	static final int SESSION_TIMEOUT_MS = 2000;

	private static final AtomicInteger roots = new AtomicInteger();

	private ZooKeeperTestSupport() {
	}

	static InstanceSpec spec(int port, int serverId) {
		return new InstanceSpec(null, port, -1, -1, true, serverId, TICK_MS, -1);
	}

	public static TestingServer startServer() throws Exception {
		return new TestingServer(spec(-1, -1), true);
	}

	public static CuratorFramework startClient(String connectString) {
		return startClient(connectString, null);
	}

	static CuratorFramework startClient(String connectString, DigestCredentials credentials) {
		CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
			.connectString(connectString)
			.sessionTimeoutMs(SESSION_TIMEOUT_MS)
			.connectionTimeoutMs(SESSION_TIMEOUT_MS)
			.retryPolicy(new ExponentialBackoffRetry(100, 10, 1000));
		if (credentials != null) {
			credentials.authorize(builder);
		}
		CuratorFramework client = builder.build();
		client.start();
		return client;
	}

	/** A root of its own for each test, so tests sharing a server never see each other's nodes. */
	public static BindingPaths uniquePaths() {
		return BindingPaths.of("/isolation-test-" + roots.incrementAndGet());
	}

}
