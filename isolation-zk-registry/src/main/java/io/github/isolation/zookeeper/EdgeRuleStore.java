package io.github.isolation.zookeeper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.EdgeRules;
import io.github.isolation.core.rules.RuleValidationException;

/**
 * Reads and writes edge rules in ZooKeeper, one JSON node per rule at
 * {@code {root}/rules/edge/{id}} ({@link BindingPaths#edgeRulePath(String)},
 * {@link EdgeRuleJson}): what the command-line tool and other operators' tools use. Every method
 * makes synchronous round trips to ZooKeeper; the edge reads rules from an
 * {@link EdgeRulesView} instead.
 *
 * <p>Rules are validated before they are written, so a rule written here is one every edge
 * accepts. A node that is not a valid rule (written behind the store's back) is left out of
 * {@link #list()} and reported by {@link #invalid()}; {@link #delete(String)} removes it all the
 * same.
 *
 * <p>With {@link DigestCredentials}, nodes are created with the same ACL as bindings: only that
 * identity may change them, anyone may read them. A write refused for want of credentials fails
 * with a {@link BindingAccessDeniedException}; other failures, such as an unreachable ZooKeeper,
 * are {@link BindingStoreException}s. The client is the caller's, started; it is never closed
 * here.
 *
 * @since 0.1.0
 */
public final class EdgeRuleStore {

	// Writes race with other writers; a few attempts settle create-vs-exists and version races.
	private static final int MAX_ATTEMPTS = 5;

	private final CuratorFramework client;

	private final BindingPaths paths;

	private final DigestCredentials credentials;

	/**
	 * A store.
	 * @param client a started client, which must authenticate with the credentials if any
	 * @param paths the layout
	 * @param credentials the credentials whose ACL new nodes get, or {@code null} for the
	 * client's default ACL
	 */
	public EdgeRuleStore(CuratorFramework client, BindingPaths paths, DigestCredentials credentials) {
		this.client = Objects.requireNonNull(client, "client must not be null");
		this.paths = Objects.requireNonNull(paths, "paths must not be null");
		this.credentials = credentials;
	}

	/**
	 * Writes a rule, creating its node or replacing what it holds.
	 * @param rule the rule
	 * @throws BindingAccessDeniedException if the node is protected and the client lacks the
	 * credentials
	 * @throws BindingStoreException if ZooKeeper cannot be written
	 */
	public void put(EdgeRule rule) {
		String path = this.paths.edgeRulePath(rule.id());
		byte[] data = EdgeRuleJson.encode(rule);
		try {
			for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
				try {
					create(path, data);
					return;
				}
				catch (KeeperException.NodeExistsException ex) {
					// Replace what it holds below.
				}
				try {
					this.client.setData().forPath(path, data);
					return;
				}
				catch (KeeperException.NoNodeException ex) {
					// Deleted under us: create it again.
				}
			}
			throw new BindingStoreException("Could not write " + path + ": it kept changing under concurrent writers; "
					+ "try again", null);
		}
		catch (BindingStoreException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw translate(ex, "write", path);
		}
	}

	/**
	 * Validates a rule's JSON and writes it.
	 * @param json the rule as JSON
	 * @return the rule written
	 * @throws RuleValidationException if the JSON is not a valid rule, naming the field; nothing
	 * is written then
	 * @throws BindingStoreException if ZooKeeper cannot be written
	 */
	public EdgeRule put(String json) {
		EdgeRule rule = EdgeRuleJson.read(json);
		put(rule);
		return rule;
	}

	/**
	 * One rule.
	 * @param id the rule's id
	 * @return the rule, or empty if there is no such node
	 * @throws RuleValidationException if the id is not valid, or the node holds no valid rule
	 * (its field is prefixed with nothing: the message says what is wrong)
	 * @throws BindingStoreException if ZooKeeper cannot be read
	 */
	public Optional<EdgeRule> get(String id) {
		String path = this.paths.edgeRulePath(id);
		byte[] data;
		try {
			data = this.client.getData().forPath(path);
		}
		catch (KeeperException.NoNodeException ex) {
			return Optional.empty();
		}
		catch (Exception ex) {
			throw translate(ex, "read", path);
		}
		return Optional.of(parse(id, data));
	}

	/**
	 * Every valid rule, in the order the edge tries them.
	 * @return the rules, enabled or not
	 * @throws BindingStoreException if ZooKeeper cannot be read
	 */
	public List<EdgeRule> list() {
		List<EdgeRule> rules = new ArrayList<>();
		readAll(rules, new LinkedHashMap<>());
		rules.sort(EdgeRules.ORDER);
		return rules;
	}

	/**
	 * The nodes that hold no valid rule, and why.
	 * @return node name to the problem, such as {@code split.percent must be 0 to 100, but was 120}
	 * @throws BindingStoreException if ZooKeeper cannot be read
	 */
	public Map<String, String> invalid() {
		Map<String, String> invalid = new LinkedHashMap<>();
		readAll(new ArrayList<>(), invalid);
		return invalid;
	}

	/**
	 * Enables or disables a rule, leaving the rest of it as it is.
	 * @param id the rule's id
	 * @param enabled whether the edge tries it
	 * @return the rule as written, or empty if there is no such rule
	 * @throws RuleValidationException if the node holds no valid rule
	 * @throws BindingAccessDeniedException if the node is protected and the client lacks the
	 * credentials
	 * @throws BindingStoreException if ZooKeeper cannot be written
	 */
	public Optional<EdgeRule> setEnabled(String id, boolean enabled) {
		String path = this.paths.edgeRulePath(id);
		try {
			for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
				Stat stat = new Stat();
				byte[] data;
				try {
					data = this.client.getData().storingStatIn(stat).forPath(path);
				}
				catch (KeeperException.NoNodeException ex) {
					return Optional.empty();
				}
				EdgeRule changed = parse(id, data).withEnabled(enabled);
				try {
					this.client.setData().withVersion(stat.getVersion()).forPath(path, EdgeRuleJson.encode(changed));
					return Optional.of(changed);
				}
				catch (KeeperException.NoNodeException | KeeperException.BadVersionException ex) {
					// Changed under us: read it again.
				}
			}
			throw new BindingStoreException("Could not change " + path + ": it kept changing under concurrent "
					+ "writers; try again", null);
		}
		catch (BindingStoreException | RuleValidationException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw translate(ex, "write", path);
		}
	}

	/**
	 * Removes a rule's node, valid or not.
	 * @param id the rule's id
	 * @return {@code true} if there was a node to remove
	 * @throws BindingAccessDeniedException if the node is protected and the client lacks the
	 * credentials
	 * @throws BindingStoreException if ZooKeeper cannot be written
	 */
	public boolean delete(String id) {
		String path = this.paths.edgeRulePath(id);
		try {
			this.client.delete().forPath(path);
			return true;
		}
		catch (KeeperException.NoNodeException ex) {
			return false;
		}
		catch (Exception ex) {
			throw translate(ex, "remove", path);
		}
	}

	/**
	 * Reads a rule node's data, checking that the rule's id is the node's name.
	 * @param nodeName the node's name
	 * @param data its data
	 * @return the rule
	 * @throws RuleValidationException if the data is not a valid rule for that node
	 */
	static EdgeRule parse(String nodeName, byte[] data) {
		EdgeRule rule = EdgeRuleJson.read(data);
		if (!rule.id().equals(nodeName)) {
			throw new RuleValidationException("id", "must be the name of the rule's node "
					+ io.github.isolation.core.LogSafe.quote(nodeName) + ", but was '" + rule.id() + "'");
		}
		return rule;
	}

	private void readAll(List<EdgeRule> rules, Map<String, String> invalid) {
		String parent = this.paths.edgeRulesPath();
		List<String> children;
		try {
			children = this.client.getChildren().forPath(parent);
		}
		catch (KeeperException.NoNodeException ex) {
			return;
		}
		catch (Exception ex) {
			throw translate(ex, "list", parent);
		}
		for (String child : children.stream().sorted().toList()) {
			String path = ZKPaths.makePath(parent, child);
			byte[] data;
			try {
				data = this.client.getData().forPath(path);
			}
			catch (KeeperException.NoNodeException ex) {
				continue;
			}
			catch (Exception ex) {
				throw translate(ex, "read", path);
			}
			try {
				rules.add(parse(child, data));
			}
			catch (RuleValidationException ex) {
				invalid.put(child, ex.getMessage());
			}
		}
	}

	private void create(String path, byte[] data) throws Exception {
		if (this.credentials != null) {
			this.client.create()
				.creatingParentContainersIfNeeded()
				.withMode(CreateMode.PERSISTENT)
				.withACL(this.credentials.acl(), true)
				.forPath(path, data);
		}
		else {
			this.client.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, data);
		}
	}

	private BindingStoreException translate(Exception ex, String action, String path) {
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
			return new BindingStoreException("Interrupted while trying to " + action + " " + path, ex);
		}
		if (ex instanceof KeeperException.NoAuthException) {
			return new BindingAccessDeniedException("Not allowed to " + action + " " + path + ": the rules are "
					+ "protected by a ZooKeeper digest ACL; pass the credentials that protect them (--auth USER:PASSWORD "
					+ "on the command line, isolation.zookeeper.auth in an application)", ex);
		}
		if (ex instanceof KeeperException keeper && (ex instanceof KeeperException.ConnectionLossException
				|| ex instanceof KeeperException.SessionExpiredException
				|| ex instanceof KeeperException.OperationTimeoutException)) {
			return new BindingStoreException("Cannot reach ZooKeeper at "
					+ this.client.getZookeeperClient().getCurrentConnectionString() + " to " + action + " " + path
					+ " (" + keeper.code() + ")", ex);
		}
		return new BindingStoreException("Failed to " + action + " " + path + ": " + ex.getMessage(), ex);
	}

}
