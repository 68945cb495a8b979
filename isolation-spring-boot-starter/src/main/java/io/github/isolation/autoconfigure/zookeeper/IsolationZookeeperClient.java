package io.github.isolation.autoconfigure.zookeeper;

import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.DigestCredentials;
import org.apache.curator.framework.CuratorFramework;

/**
 * The Curator client that bindings are read and written with, shared with Spring Cloud
 * ZooKeeper where possible. A client of its own is closed with the application; a shared one
 * is left to its owner.
 *
 * @param client the started client
 * @param paths the layout of the bindings
 * @param credentials the credentials bindings are written with, or {@code null}
 * @param owned whether this client was made for isolation alone
 * @since 0.1.0
 */
public record IsolationZookeeperClient(CuratorFramework client, BindingPaths paths, DigestCredentials credentials,
		boolean owned) implements AutoCloseable {

	@Override
	public void close() {
		if (this.owned) {
			this.client.close();
		}
	}

}
