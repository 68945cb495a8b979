package io.github.isolation.zookeeper;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ZKConfig;

/**
 * Reads every binding node under a root in a handful of requests, with ZooKeeper's read-only
 * multi operation (servers 3.6 and later): the children of {@code bindings} and
 * {@code sources}, then the children of every service, then the data of every binding, each
 * step in batches of {@value #BATCH} reads. {@link org.apache.curator.framework.recipes.cache.CuratorCache}
 * reads a tree node by node, setting a watch on each, which for ten thousand bindings takes
 * about a second or more; this takes some tens of milliseconds.
 *
 * <p>It reads over a connection of its own, opened for the read and closed after it, never
 * over the application's: a batch's reply can exceed the client's packet limit if somebody
 * wrote huge nodes, and a client that receives such a reply drops its connection. Here that
 * fails only this read (its connection allows {@value #MAX_REPLY_BYTES} bytes, so a stray
 * huge node does not), and the caller falls back to the cache. The connection is
 * unauthenticated, which suffices for the world-readable bindings that {@link DigestCredentials}
 * writes; a tree that needs credentials to read fails here the same way.
 *
 * <p>Only the nodes where bindings belong are read: whatever else is in the tree is left to
 * the cache, which sees everything. A node that vanishes between two steps is left out.
 */
final class BulkRead {

	/** Reads per request. */
	static final int BATCH = 1000;

	/** The largest reply this read's connection accepts: a few nodes of ZooKeeper's 1 MB limit. */
	static final int MAX_REPLY_BYTES = 4 * 1024 * 1024;

	private BulkRead() {
	}

	/**
	 * Reads the binding nodes.
	 * @param client a client on the ensemble to read; its connect string and namespace are used
	 * @param paths the layout
	 * @param timeoutMillis how long to wait for the connection
	 * @return the nodes, with paths as the client (and a cache on it) names them
	 * @throws Exception if the read fails, for example on a server without multi-read
	 */
	static List<ChildData> read(CuratorFramework client, BindingPaths paths, long timeoutMillis) throws Exception {
		ZKClientConfig config = new ZKClientConfig();
		config.setProperty(ZKConfig.JUTE_MAXBUFFER, Integer.toString(MAX_REPLY_BYTES));
		CountDownLatch connected = new CountDownLatch(1);
		Watcher watcher = (event) -> {
			if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
				connected.countDown();
			}
		};
		ZooKeeper zookeeper = new ZooKeeper(client.getZookeeperClient().getCurrentConnectionString(),
				(int) timeoutMillis, watcher, false, config);
		try {
			if (!connected.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
				throw new KeeperException.ConnectionLossException();
			}
			return read(zookeeper, client.getNamespace(), paths);
		}
		finally {
			zookeeper.close();
		}
	}

	private static List<ChildData> read(ZooKeeper zookeeper, String namespace, BindingPaths paths)
			throws KeeperException, InterruptedException {
		List<String> services = children(zookeeper, List.of(inNamespace(namespace, paths.bindingsPath())));
		List<String> leaves = children(zookeeper, services);
		leaves.addAll(children(zookeeper, List.of(inNamespace(namespace, paths.sourcesPath()))));
		List<ChildData> nodes = new ArrayList<>(leaves.size());
		for (List<String> batch : batches(leaves)) {
			List<OpResult> results = zookeeper.multi(batch.stream().map(Op::getData).toList());
			for (int i = 0; i < results.size(); i++) {
				if (results.get(i) instanceof OpResult.GetDataResult data) {
					nodes.add(new ChildData(withoutNamespace(namespace, batch.get(i)), data.getStat(), data.getData()));
				}
				else {
					checkGone(results.get(i), batch.get(i));
				}
			}
		}
		return nodes;
	}

	/** The full paths of the children of the given nodes; a missing parent has none. */
	private static List<String> children(ZooKeeper zookeeper, List<String> parents)
			throws KeeperException, InterruptedException {
		List<String> children = new ArrayList<>();
		for (List<String> batch : batches(parents)) {
			List<OpResult> results = zookeeper.multi(batch.stream().map(Op::getChildren).toList());
			for (int i = 0; i < results.size(); i++) {
				if (results.get(i) instanceof OpResult.GetChildrenResult result) {
					for (String child : result.getChildren()) {
						children.add(ZKPaths.makePath(batch.get(i), child));
					}
				}
				else {
					checkGone(results.get(i), batch.get(i));
				}
			}
		}
		return children;
	}

	/**
	 * Accepts a read that failed because its node is gone; any other failure (no permission to
	 * read, say) fails the whole read, which must never pass off part of the tree as all of it.
	 */
	private static void checkGone(OpResult result, String path) throws KeeperException {
		int code = ((OpResult.ErrorResult) result).getErr();
		if (code != KeeperException.Code.NONODE.intValue()) {
			throw KeeperException.create(KeeperException.Code.get(code), path);
		}
	}

	private static List<List<String>> batches(List<String> paths) {
		List<List<String>> batches = new ArrayList<>();
		for (int from = 0; from < paths.size(); from += BATCH) {
			batches.add(paths.subList(from, Math.min(paths.size(), from + BATCH)));
		}
		return batches;
	}

	private static String inNamespace(String namespace, String path) {
		return (namespace == null || namespace.isEmpty()) ? path : ZKPaths.makePath(namespace, path);
	}

	private static String withoutNamespace(String namespace, String path) {
		return (namespace == null || namespace.isEmpty()) ? path : path.substring(namespace.length() + 1);
	}

}
