package io.github.isolation.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BulkReadTests {

	private static final long TIMEOUT = 10_000;

	private static TestingServer server;

	@BeforeAll
	static void startServer() throws Exception {
		server = ZooKeeperTestSupport.startServer();
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@Test
	void shouldReadEveryBindingNodeAndNothingElse() throws Exception {
		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString())) {
			BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
			// More than one batch, so that batching is exercised; written in a few transactions.
			int bindings = BulkRead.BATCH + 200;
			for (int s = 0; s < 70; s++) {
				client.create().creatingParentsIfNeeded().forPath(paths.servicePath("service-" + s));
			}
			List<CuratorOp> writes = new ArrayList<>();
			for (int i = 0; i < bindings; i++) {
				String path = paths.instancePath("service-" + (i % 70), new InstanceAddress("10.0.0." + (i % 250), 8000 + i));
				writes.add(client.transactionOp().create().forPath(path, bytes("g" + (i % 3))));
				if (writes.size() == 300 || i == bindings - 1) {
					client.transaction().forOperations(writes);
					writes.clear();
				}
			}
			client.create().forPath(paths.servicePath("huge"));
			client.create().creatingParentsIfNeeded().forPath(paths.sourcePath("10.9.9.9"), bytes("feature-x"));
			client.create().forPath(paths.root() + "/unknown", bytes("x"));
			client.create().forPath(paths.instancePath("service-0", new InstanceAddress("10.0.0.0", 8000)) + "/below");
			// Two nodes near ZooKeeper's 1 MB limit in one batch: more than a client's default packet limit.
			client.create().forPath(paths.instancePath("huge", new InstanceAddress("10.1.0.1", 1)), new byte[1_000_000]);
			client.create().forPath(paths.instancePath("huge", new InstanceAddress("10.1.0.2", 1)), new byte[1_000_000]);

			Map<String, String> read = asMap(BulkRead.read(client, paths, TIMEOUT));

			assertThat(read).hasSize(bindings + 3);
			assertThat(read).containsEntry(paths.sourcePath("10.9.9.9"), "feature-x");
			assertThat(read).containsEntry(paths.instancePath("service-7", new InstanceAddress("10.0.0.7", 8007)), "g1");
			assertThat(read).doesNotContainKeys(paths.root() + "/unknown");
		}
	}

	@Test
	void shouldNameNodesAsANamespacedClientDoes() throws Exception {
		try (CuratorFramework root = ZooKeeperTestSupport.startClient(server.getConnectString())) {
			BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
			CuratorFramework namespaced = root.usingNamespace("tenant");
			namespaced.create().creatingParentsIfNeeded().forPath(paths.sourcePath("10.1.1.1"), bytes("feature-y"));

			assertThat(asMap(BulkRead.read(namespaced, paths, TIMEOUT))).containsOnly(Map.entry(paths.sourcePath("10.1.1.1"), "feature-y"));
			assertThat(BulkRead.read(root, paths, TIMEOUT)).isEmpty();
		}
	}

	@Test
	void shouldFailRatherThanReturnPartOfATreeItMayNotRead() throws Exception {
		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString())) {
			BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
			client.create().creatingParentsIfNeeded().forPath(paths.sourcePath("10.1.1.1"), bytes("feature-y"));
			client.create().creatingParentsIfNeeded().forPath(paths.servicePath("inventory"));
			client.setACL().withACL(List.of(new ACL(ZooDefs.Perms.ALL, new Id("digest", "admin:x")))).forPath(paths.servicePath("inventory"));

			assertThatExceptionOfType(KeeperException.NoAuthException.class)
				.isThrownBy(() -> BulkRead.read(client, paths, TIMEOUT));
		}
	}

	@Test
	void shouldLeaveAViewToItsCacheWhenTheBulkReadFails() throws Exception {
		DigestCredentials admin = DigestCredentials.parse("admin:secret");
		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString(), admin)) {
			BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
			new BindingStore(client, paths, null).bind("inventory", InstanceAddress.parse("10.0.0.7:8080"),
					IsolationGroup.of("feature-x"));
			// Readable with the application's credentials only: the bulk read's own connection has none.
			client.setACL()
				.withACL(List.of(new ACL(ZooDefs.Perms.ALL, new Id("digest", DigestAuthenticationProvider.generateDigest("admin:secret")))))
				.forPath(paths.bindingsPath());
			try (BindingsView view = new BindingsView(client, paths)) {
				view.start();

				assertThat(view.awaitInitialized(Duration.ofSeconds(10))).isTrue();
				assertThat(view.instanceGroup("inventory", "10.0.0.7", 8080)).contains(IsolationGroup.of("feature-x"));
			}
		}
	}

	@Test
	void shouldReadNothingUnderARootThatDoesNotExist() throws Exception {
		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString())) {
			assertThat(BulkRead.read(client, ZooKeeperTestSupport.uniquePaths(), TIMEOUT)).isEmpty();
		}
	}

	private static Map<String, String> asMap(List<ChildData> nodes) {
		return nodes.stream()
			.collect(Collectors.toMap(ChildData::getPath, (node) -> new String(node.getData(), StandardCharsets.UTF_8)));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
