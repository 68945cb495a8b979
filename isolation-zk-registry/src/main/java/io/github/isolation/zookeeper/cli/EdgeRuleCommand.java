package io.github.isolation.zookeeper.cli;

import org.apache.curator.framework.CuratorFramework;

import io.github.isolation.zookeeper.DigestCredentials;
import io.github.isolation.zookeeper.EdgeRuleStore;

/** A command on the edge rules, through the same store every operator's tool uses. */
abstract class EdgeRuleCommand extends ZooKeeperCommand {

	@Override
	final int run(CuratorFramework client, DigestCredentials credentials) throws Exception {
		return run(new EdgeRuleStore(client, root().paths(), credentials), client, credentials);
	}

	/**
	 * Runs the command.
	 * @param rules the edge rules
	 * @param client the client, for commands that read bindings too
	 * @param credentials the credentials, or {@code null}
	 * @return the exit code
	 */
	abstract int run(EdgeRuleStore rules, CuratorFramework client, DigestCredentials credentials) throws Exception;

	int noSuchRule(String id) {
		return fail("no rule '" + id + "'; see 'isolation rule list'");
	}

}
