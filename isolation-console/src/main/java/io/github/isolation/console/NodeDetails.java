package io.github.isolation.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * Who wrote a binding and when, from its ZooKeeper node: the modification time of its stat,
 * the digest identity its ACL lets change it, and whether it belongs to a session (an
 * instance's own binding). Read in the background and waited for a bounded time, so that a
 * ZooKeeper that does not answer leaves the details unknown instead of hanging the page.
 *
 * @since 0.1.0
 */
public class NodeDetails {

	/** At most this many nodes are read for one page. */
	static final int MAX_NODES = 500;

	private static final long WAIT_MILLIS = 2000;

	private final CuratorFramework client;

	/**
	 * @param client the ZooKeeper client
	 */
	public NodeDetails(CuratorFramework client) {
		this.client = client;
	}

	/**
	 * Reads the details of nodes.
	 * @param paths the nodes' paths
	 * @return the details of each node that answered in time, by path
	 */
	public Map<String, Detail> read(List<String> paths) {
		Map<String, CompletableFuture<Detail>> pending = new LinkedHashMap<>();
		for (String path : paths.subList(0, Math.min(paths.size(), MAX_NODES))) {
			CompletableFuture<Detail> future = new CompletableFuture<>();
			try {
				this.client.getACL().inBackground((client, event) -> {
					if (event.getResultCode() != 0 || event.getStat() == null) {
						future.complete(null);
						return;
					}
					future.complete(detail(event.getStat(), event.getACLList()));
				}).forPath(path);
			}
			catch (Exception ex) {
				future.complete(null);
			}
			pending.put(path, future);
		}
		Map<String, Detail> details = new LinkedHashMap<>();
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
		for (Map.Entry<String, CompletableFuture<Detail>> entry : pending.entrySet()) {
			try {
				long left = Math.max(0, deadline - System.nanoTime());
				Detail detail = entry.getValue().get(left, TimeUnit.NANOSECONDS);
				if (detail != null) {
					details.put(entry.getKey(), detail);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (Exception ex) {
				// Not in time: shown as unknown.
			}
		}
		return details;
	}

	private static Detail detail(Stat stat, List<ACL> acls) {
		List<String> writers = new ArrayList<>();
		if (acls != null) {
			for (ACL acl : acls) {
				if ("digest".equals(acl.getId().getScheme()) && (acl.getPerms() & org.apache.zookeeper.ZooDefs.Perms.WRITE) != 0) {
					String id = acl.getId().getId();
					int colon = id.indexOf(':');
					writers.add((colon > 0) ? id.substring(0, colon) : id);
				}
			}
		}
		return new Detail(Instant.ofEpochMilli(stat.getMtime()), stat.getEphemeralOwner(), List.copyOf(writers),
				stat.getVersion());
	}

	/**
	 * A binding node's details.
	 *
	 * @param modified when it was last written
	 * @param session the session that owns it (an instance's own binding), {@code 0} for a
	 * persistent one
	 * @param writers the digest identities that may change it, empty when anyone may
	 * @param version how many times its data changed
	 */
	public record Detail(Instant modified, long session, List<String> writers, int version) {

		/**
		 * @return who may change it, as the page says it
		 */
		public String who() {
			if (this.session != 0) {
				return "instance session 0x" + Long.toHexString(this.session);
			}
			return this.writers.isEmpty() ? "anyone (no ACL)" : "digest " + String.join(", ", this.writers);
		}

	}

}
