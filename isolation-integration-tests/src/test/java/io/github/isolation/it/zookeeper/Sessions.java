package io.github.isolation.it.zookeeper;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

import static org.assertj.core.api.Assertions.assertThat;

/** Session faults as ZooKeeper itself produces them. */
final class Sessions {

	private Sessions() {
	}

	/**
	 * Expires a client's session on the server, as a partition longer than the session timeout
	 * would: a second connection takes the session over and closes it, so the server deletes
	 * the session's ephemeral nodes at once and the client learns that its session expired.
	 * @param client the client whose session to expire
	 * @param connectString the server
	 */
	static void expire(CuratorFramework client, String connectString) throws Exception {
		ZooKeeper victim = client.getZookeeperClient().getZooKeeper();
		CountDownLatch connected = new CountDownLatch(1);
		ZooKeeper thief = new ZooKeeper(connectString, 10_000, (event) -> {
			if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
				connected.countDown();
			}
		}, victim.getSessionId(), victim.getSessionPasswd());
		try {
			assertThat(connected.await(10, TimeUnit.SECONDS)).as("connected with the session to expire").isTrue();
		}
		finally {
			thief.close();
		}
	}

}
