package io.github.isolation.zookeeper;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

/**
 * Reads every binding node under a root with all requests of a level in flight at once: the
 * children of {@code bindings} and {@code sources}, then the children of every service, then
 * the data of every binding, without watches. {@link org.apache.curator.framework.recipes.cache.CuratorCache}
 * reads a tree node by node, setting a watch on each, which for ten thousand bindings takes
 * seconds; this takes three round trips' worth, so that a view serves its bindings that much
 * sooner. Each reply is a node of its own, so no reply comes near ZooKeeper's packet limit,
 * however many bindings there are.
 *
 * <p>Only the nodes where bindings belong are read: whatever else is in the tree is left to
 * the cache, which sees everything. A node that vanishes between two steps is left out.
 */
final class BulkRead {

	private BulkRead() {
	}

	/**
	 * Reads the binding nodes.
	 * @param client a connected client; its namespace, if any, is honoured
	 * @param paths the layout
	 * @param timeoutMillis how long each level may take
	 * @return the nodes, with paths as the client (and a cache on it) names them
	 * @throws Exception if ZooKeeper refuses or does not answer in time
	 */
	static List<ChildData> read(CuratorFramework client, BindingPaths paths, long timeoutMillis) throws Exception {
		ZooKeeper zookeeper = client.getZookeeperClient().getZooKeeper();
		String namespace = client.getNamespace();
		String bindings = inNamespace(namespace, paths.bindingsPath());
		String sources = inNamespace(namespace, paths.sourcesPath());
		List<String> services = children(zookeeper, List.of(bindings), timeoutMillis);
		List<String> leaves = children(zookeeper, services, timeoutMillis);
		leaves.addAll(children(zookeeper, List.of(sources), timeoutMillis));
		List<CompletableFuture<ChildData>> reads = new ArrayList<>(leaves.size());
		for (String leaf : leaves) {
			CompletableFuture<ChildData> read = new CompletableFuture<>();
			zookeeper.getData(leaf, false, (rc, path, ctx, data, stat) -> {
				if (rc == KeeperException.Code.OK.intValue()) {
					read.complete(new ChildData(withoutNamespace(namespace, path), stat, data));
				}
				else {
					complete(read, rc, path, null);
				}
			}, null);
			reads.add(read);
		}
		List<ChildData> nodes = new ArrayList<>(leaves.size());
		for (ChildData node : all(reads, timeoutMillis)) {
			if (node != null) {
				nodes.add(node);
			}
		}
		return nodes;
	}

	/** The full paths of the children of the given nodes; a missing parent has none. */
	private static List<String> children(ZooKeeper zookeeper, List<String> parents, long timeoutMillis)
			throws Exception {
		List<CompletableFuture<List<String>>> reads = new ArrayList<>(parents.size());
		for (String parent : parents) {
			CompletableFuture<List<String>> read = new CompletableFuture<>();
			zookeeper.getChildren(parent, false, (rc, path, ctx, children) -> {
				if (rc == KeeperException.Code.OK.intValue()) {
					read.complete(children.stream().map((child) -> ZKPaths.makePath(path, child)).toList());
				}
				else {
					complete(read, rc, path, List.of());
				}
			}, null);
			reads.add(read);
		}
		List<String> children = new ArrayList<>();
		for (List<String> each : all(reads, timeoutMillis)) {
			children.addAll(each);
		}
		return children;
	}

	/** A node gone meanwhile is empty; any other failure fails the whole read. */
	private static <T> void complete(CompletableFuture<T> read, int rc, String path, T ifMissing) {
		if (rc == KeeperException.Code.NONODE.intValue()) {
			read.complete(ifMissing);
		}
		else {
			read.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
		}
	}

	private static <T> List<T> all(List<CompletableFuture<T>> reads, long timeoutMillis) throws Exception {
		CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
		return reads.stream().map(CompletableFuture::join).toList();
	}

	private static String inNamespace(String namespace, String path) {
		return (namespace == null || namespace.isEmpty()) ? path : ZKPaths.makePath(namespace, path);
	}

	private static String withoutNamespace(String namespace, String path) {
		return (namespace == null || namespace.isEmpty()) ? path : path.substring(namespace.length() + 1);
	}

}
