package io.github.isolation.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
			int bindings = 300;
			for (int i = 0; i < bindings; i++) {
				String path = paths.instancePath("service-" + (i % 70), new InstanceAddress("10.0.0." + (i % 250), 8000 + i));
				client.create().creatingParentsIfNeeded().forPath(path, bytes("g" + (i % 3)));
			}
			client.create().creatingParentsIfNeeded().forPath(paths.sourcePath("10.9.9.9"), bytes("feature-x"));
			client.create().forPath(paths.root() + "/unknown", bytes("x"));
			client.create().forPath(paths.instancePath("service-0", new InstanceAddress("10.0.0.0", 8000)) + "/below");

			Map<String, String> read = asMap(BulkRead.read(client, paths, TIMEOUT));

			assertThat(read).hasSize(bindings + 1);
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
