package io.github.isolation.zookeeper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.LogSafe;

/**
 * Reads and writes bindings in ZooKeeper, in the layout of {@link BindingPaths}: what an
 * operator's tool (such as {@code isolation}, the command-line tool) or a deploy pipeline uses. Every method makes
 * synchronous round trips to ZooKeeper, so this is not for the request path: routing reads
 * from a {@link BindingsView}.
 *
 * <p>Bindings written here are persistent: they stay until someone removes them. Parent nodes
 * are created as container nodes, which ZooKeeper removes once their last binding is gone. An
 * instance's own binding (ephemeral, see {@link SelfBinding}) is never changed or removed
 * here: the instance would restore it at once, so {@link #bind} and {@link #unbind} refuse
 * with a {@link BindingConflictException} and {@link #prune} leaves it alone.
 *
 * <p>With {@link DigestCredentials}, nodes are created with an ACL that lets only that
 * identity change them while anyone can read them; a write that ZooKeeper refuses for want of
 * credentials fails with a {@link BindingAccessDeniedException} that says to pass them. Other
 * failures, such as an unreachable ZooKeeper, are {@link BindingStoreException}s. Nodes that
 * are not well-formed bindings (see {@link BindingsView}) are left out of the listings.
 *
 * <p>The client is the caller's: it must be started, and this class never closes it.
 *
 * @since 0.1.0
 */
public final class BindingStore {

	private static final Logger logger = LoggerFactory.getLogger(BindingStore.class);

	private static final Comparator<InstanceBinding> INSTANCE_ORDER = Comparator
		.comparing(InstanceBinding::serviceId)
		.thenComparing((binding) -> binding.address().host())
		.thenComparingInt((binding) -> binding.address().port());

	private static final Comparator<SourceBinding> SOURCE_ORDER = Comparator.comparing(SourceBinding::address);

	// Writes race with other writers; a few attempts settle create-vs-exists and version races.
	private static final int MAX_ATTEMPTS = 5;

	private final CuratorFramework client;

	private final BindingPaths paths;

	private final DigestCredentials credentials;

	/**
	 * A store under the default root, without ACLs.
	 * @param client a started client
	 */
	public BindingStore(CuratorFramework client) {
		this(client, BindingPaths.defaults(), null);
	}

	/**
	 * A store.
	 * @param client a started client, which must authenticate with the credentials if any
	 * @param paths the layout
	 * @param credentials the credentials whose ACL new nodes get, or {@code null} for the
	 * client's default ACL
	 */
	public BindingStore(CuratorFramework client, BindingPaths paths, DigestCredentials credentials) {
		this.client = Objects.requireNonNull(client, "client must not be null");
		this.paths = Objects.requireNonNull(paths, "paths must not be null");
		this.credentials = credentials;
	}

	/**
	 * The layout this store writes.
	 * @return the layout
	 */
	public BindingPaths paths() {
		return this.paths;
	}

	/**
	 * The binding of one instance.
	 * @param serviceId the service id, in any case
	 * @param address the instance's address
	 * @return the binding, or empty if there is none (or it is not well-formed)
	 * @throws BindingStoreException if ZooKeeper cannot be read
	 */
	public Optional<InstanceBinding> instanceBinding(String serviceId, InstanceAddress address) {
		String path = this.paths.instancePath(serviceId, address);
		return read(path).filter(InstanceBinding.class::isInstance).map(InstanceBinding.class::cast);
	}

	/**
	 * Binds an instance to a group with a persistent binding, replacing the group of a
	 * persistent binding that is already there.
	 * @param serviceId the service id, in any case
	 * @param address the instance's address
	 * @param group the group
	 * @throws BindingConflictException if the instance has its own (ephemeral) binding
	 * @throws BindingAccessDeniedException if the node is protected and the client lacks the
	 * credentials
	 * @throws BindingStoreException if ZooKeeper cannot be written
	 */
	public void bind(String serviceId, InstanceAddress address, IsolationGroup group) {
		write(this.paths.instancePath(serviceId, address), group);
	}

	/**
	 * Removes an instance's persistent binding.
	 * @param serviceId the service id, in any case
	 * @param address the instance's address
	 * @return the binding removed, or empty if there was none
	 * @throws BindingConflictException if the instance has its own (ephemeral) binding
	 * @throws BindingAccessDeniedException if the node is protected and the client lacks the
	 * credentials
	 * @throws BindingStoreException if ZooKeeper cannot be written
	 */
	public Optional<InstanceBinding> unbind(String serviceId, InstanceAddress address) {
		return remove(this.paths.instancePath(serviceId, address)).filter(InstanceBinding.class::isInstance)
			.map(InstanceBinding.class::cast);
	}

	/**
	 * The binding of one source address.
	 * @param address an IPv4 or IPv6 address
	 * @return the binding, or empty if there is none (or it is not well-formed)
	 * @throws BindingStoreException if ZooKeeper cannot be read
	 */
	public Optional<SourceBinding> sourceBinding(String address) {
		return read(this.paths.sourcePath(address)).filter(SourceBinding.class::isInstance)
			.map(SourceBinding.class::cast);
	}

	/**
	 * Binds requests from a source address to a group with a persistent binding.
	 * @param address an IPv4 or IPv6 address
	 * @param group the group
	 * @throws BindingAccessDeniedException if the node is protected and the client lacks the
	 * credentials
	 * @throws BindingStoreException if ZooKeeper cannot be written
	 */
	public void bindSource(String address, IsolationGroup group) {
		write(this.paths.sourcePath(address), group);
	}

	/**
	 * Removes a source address's binding.
	 * @param address an IPv4 or IPv6 address
	 * @return the binding removed, or empty if there was none
	 * @throws BindingAccessDeniedException if the node is protected and the client lacks the
	 * credentials
	 * @throws BindingStoreException if ZooKeeper cannot be written
	 */
	public Optional<SourceBinding> unbindSource(String address) {
		return remove(this.paths.sourcePath(address)).filter(SourceBinding.class::isInstance)
			.map(SourceBinding.class::cast);
	}

	/**
	 * All well-formed instance bindings, persistent and ephemeral.
	 * @return the bindings, ordered by service id, host and port
	 * @throws BindingStoreException if ZooKeeper cannot be read
	 */
	public List<InstanceBinding> instanceBindings() {
		return readInstances().stream().map(Versioned::binding).map(InstanceBinding.class::cast)
			.sorted(INSTANCE_ORDER).toList();
	}

	/**
	 * All well-formed source bindings.
	 * @return the bindings, ordered by address
	 * @throws BindingStoreException if ZooKeeper cannot be read
	 */
	public List<SourceBinding> sourceBindings() {
		return readSources().stream().map(Versioned::binding).map(SourceBinding.class::cast)
			.sorted(SOURCE_ORDER).toList();
	}

	/**
	 * Removes every persistent binding to a group, of instances and of sources: the "feature
	 * done, tear its group down" step. Instances' own (ephemeral) bindings stay: they go when
	 * the instances stop. A binding changed to another group while this runs is left alone.
	 * @param group the group
	 * @return what was removed and what was left
	 * @throws BindingAccessDeniedException if a node is protected and the client lacks the
	 * credentials (bindings removed before that stay removed)
	 * @throws BindingStoreException if ZooKeeper cannot be reached
	 */
	public PruneResult prune(IsolationGroup group) {
		List<InstanceBinding> removed = new ArrayList<>();
		List<InstanceBinding> kept = new ArrayList<>();
		for (Versioned read : readInstances()) {
			InstanceBinding binding = (InstanceBinding) read.binding();
			if (!binding.group().equals(group)) {
				continue;
			}
			if (binding.ephemeral()) {
				kept.add(binding);
			}
			else if (deleteVersion(read.path(), read.version())) {
				removed.add(binding);
			}
		}
		List<SourceBinding> removedSources = new ArrayList<>();
		for (Versioned read : readSources()) {
			SourceBinding binding = (SourceBinding) read.binding();
			if (binding.group().equals(group) && !binding.ephemeral() && deleteVersion(read.path(), read.version())) {
				removedSources.add(binding);
			}
		}
		removed.sort(INSTANCE_ORDER);
		kept.sort(INSTANCE_ORDER);
		removedSources.sort(SOURCE_ORDER);
		return new PruneResult(group, removed, removedSources, kept);
	}

	/**
	 * What {@link #prune(IsolationGroup)} did.
	 *
	 * @param group the group pruned
	 * @param removedInstances the persistent instance bindings removed
	 * @param removedSources the source bindings removed
	 * @param keptEphemeral the instances' own bindings to the group, left in place
	 */
	public record PruneResult(IsolationGroup group, List<InstanceBinding> removedInstances,
			List<SourceBinding> removedSources, List<InstanceBinding> keptEphemeral) {

		public PruneResult {
			removedInstances = List.copyOf(removedInstances);
			removedSources = List.copyOf(removedSources);
			keptEphemeral = List.copyOf(keptEphemeral);
		}

	}

	/**
	 * Removes an instance's persistent binding node, well-formed or not, so that an operator can
	 * clear a node that routing ignores because its data is not a group name.
	 * @param serviceId the service id, in any case
	 * @param address the instance's address
	 * @return what the node held, or empty if there was no node
	 * @throws BindingConflictException if the instance has its own (ephemeral) binding
	 * @throws BindingAccessDeniedException if the node is protected and the client lacks the
	 * credentials
	 * @throws BindingStoreException if ZooKeeper cannot be written
	 * @since 0.1.0
	 */
	public Optional<Removal> removeInstanceNode(String serviceId, InstanceAddress address) {
		return remove(this.paths.instancePath(serviceId, address)).map(Removal::of);
	}

	/**
	 * Removes a source address's binding node, well-formed or not.
	 * @param address an IPv4 or IPv6 address
	 * @return what the node held, or empty if there was no node
	 * @throws BindingAccessDeniedException if the node is protected and the client lacks the
	 * credentials
	 * @throws BindingStoreException if ZooKeeper cannot be written
	 * @since 0.1.0
	 */
	public Optional<Removal> removeSourceNode(String address) {
		return remove(this.paths.sourcePath(address)).map(Removal::of);
	}

	/**
	 * What a removed binding node held: a group, or data that was not a valid binding.
	 *
	 * @param group the group the node bound to, or {@code null} if the node was malformed
	 * @param malformedReason why the node was not a valid binding, or {@code null} if it was
	 * @since 0.1.0
	 */
	public record Removal(IsolationGroup group, String malformedReason) {

		public Removal {
			if ((group == null) == (malformedReason == null)) {
				throw new IllegalArgumentException("a removal holds either a group or a reason, but was " + group
						+ " and " + malformedReason);
			}
		}

		static Removal of(Object removed) {
			if (removed instanceof InstanceBinding binding) {
				return new Removal(binding.group(), null);
			}
			if (removed instanceof SourceBinding binding) {
				return new Removal(binding.group(), null);
			}
			return new Removal(null, ((BindingNodes.Skipped) removed).reason());
		}

	}

	private Optional<Object> read(String path) {
		Stat stat = new Stat();
		byte[] data;
		try {
			data = this.client.getData().storingStatIn(stat).forPath(path);
		}
		catch (KeeperException.NoNodeException ex) {
			return Optional.empty();
		}
		catch (Exception ex) {
			throw translate(ex, "read", path);
		}
		Object read = BindingNodes.read(this.paths, path, stat, data);
		if (read instanceof BindingNodes.Skipped skipped) {
			logger.debug("Ignoring {}: {}", LogSafe.quote(path), skipped.reason());
			return Optional.empty();
		}
		return Optional.ofNullable(read);
	}

	private void write(String path, IsolationGroup group) {
		byte[] data = BindingNodes.encode(group);
		try {
			for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
				try {
					create(path, data);
					return;
				}
				catch (KeeperException.NodeExistsException ex) {
					// Replace the group below, unless the node is an instance's own.
				}
				Stat stat = new Stat();
				byte[] current;
				try {
					current = this.client.getData().storingStatIn(stat).forPath(path);
				}
				catch (KeeperException.NoNodeException ex) {
					continue;
				}
				if (stat.getEphemeralOwner() != 0) {
					throw ownBinding(path, current, "rebind");
				}
				try {
					this.client.setData().withVersion(stat.getVersion()).forPath(path, data);
					return;
				}
				catch (KeeperException.NoNodeException | KeeperException.BadVersionException ex) {
					// Changed under us: look again.
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

	private void create(String path, byte[] data) throws Exception {
		if (this.credentials != null) {
			List<ACL> acl = this.credentials.acl();
			this.client.create()
				.creatingParentContainersIfNeeded()
				.withMode(CreateMode.PERSISTENT)
				.withACL(acl, true)
				.forPath(path, data);
		}
		else {
			this.client.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, data);
		}
	}

	/**
	 * Removes a persistent binding node, well-formed or not.
	 * @param path the node
	 * @return what the node held, as {@link BindingNodes#read} reads it (a
	 * {@link BindingNodes.Skipped} for a malformed node), or empty if there was no node
	 */
	Optional<Object> remove(String path) {
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
				if (stat.getEphemeralOwner() != 0) {
					throw ownBinding(path, data, "unbind");
				}
				try {
					this.client.delete().withVersion(stat.getVersion()).forPath(path);
				}
				catch (KeeperException.NoNodeException | KeeperException.BadVersionException ex) {
					continue;
				}
				// A malformed node is removed all the same.
				return Optional.ofNullable(BindingNodes.read(this.paths, path, stat, data));
			}
			throw new BindingStoreException("Could not remove " + path + ": it kept changing under concurrent "
					+ "writers; try again", null);
		}
		catch (BindingStoreException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw translate(ex, "remove", path);
		}
	}

	private boolean deleteVersion(String path, int version) {
		try {
			this.client.delete().withVersion(version).forPath(path);
			return true;
		}
		catch (KeeperException.NoNodeException | KeeperException.BadVersionException ex) {
			logger.debug("Not pruning {}: it changed meanwhile", path);
			return false;
		}
		catch (Exception ex) {
			throw translate(ex, "remove", path);
		}
	}

	private List<Versioned> readInstances() {
		List<Versioned> result = new ArrayList<>();
		for (String service : children(this.paths.bindingsPath())) {
			String servicePath = ZKPaths.makePath(this.paths.bindingsPath(), service);
			for (String instance : children(servicePath)) {
				readVersioned(ZKPaths.makePath(servicePath, instance), InstanceBinding.class, result);
			}
		}
		return result;
	}

	private List<Versioned> readSources() {
		List<Versioned> result = new ArrayList<>();
		for (String source : children(this.paths.sourcesPath())) {
			readVersioned(ZKPaths.makePath(this.paths.sourcesPath(), source), SourceBinding.class, result);
		}
		return result;
	}

	private void readVersioned(String path, Class<?> type, List<Versioned> result) {
		if (BindingNodes.classify(this.paths, path) instanceof BindingNodes.Skipped skipped) {
			logger.debug("Ignoring {}: {}", LogSafe.quote(path), skipped.reason());
			return;
		}
		Stat stat = new Stat();
		byte[] data;
		try {
			data = this.client.getData().storingStatIn(stat).forPath(path);
		}
		catch (KeeperException.NoNodeException ex) {
			return;
		}
		catch (Exception ex) {
			throw translate(ex, "read", path);
		}
		Object read = BindingNodes.read(this.paths, path, stat, data);
		if (type.isInstance(read)) {
			result.add(new Versioned(path, stat.getVersion(), read));
		}
		else if (read instanceof BindingNodes.Skipped skipped) {
			logger.debug("Ignoring {}: {}", LogSafe.quote(path), skipped.reason());
		}
	}

	private List<String> children(String path) {
		try {
			return this.client.getChildren().forPath(path);
		}
		catch (KeeperException.NoNodeException ex) {
			return List.of();
		}
		catch (Exception ex) {
			throw translate(ex, "list", path);
		}
	}

	private BindingConflictException ownBinding(String path, byte[] data, String action) {
		Object group = BindingNodes.decodeGroup(data);
		String bound = (group instanceof IsolationGroup) ? " to '" + group + "'" : "";
		return new BindingConflictException("Cannot " + action + " " + path + ": it is the instance's own binding"
				+ bound + " (ephemeral), which the instance would restore; change the instance's isolation.group or "
				+ "stop it instead");
	}

	private BindingStoreException translate(Exception ex, String action, String path) {
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
			return new BindingStoreException("Interrupted while trying to " + action + " " + path, ex);
		}
		if (ex instanceof KeeperException.NoAuthException) {
			return new BindingAccessDeniedException("Not allowed to " + action + " " + path + ": the bindings are "
					+ "protected by a ZooKeeper digest ACL; pass the credentials that protect them (--auth USER:PASSWORD "
					+ "on the command line, isolation.zookeeper.auth in an application)", ex);
		}
		if (ex instanceof KeeperException.ConnectionLossException
				|| ex instanceof KeeperException.SessionExpiredException
				|| ex instanceof KeeperException.OperationTimeoutException) {
			return new BindingStoreException("Cannot reach ZooKeeper at "
					+ this.client.getZookeeperClient().getCurrentConnectionString() + " to " + action + " " + path
					+ " (" + ((KeeperException) ex).code() + ")", ex);
		}
		return new BindingStoreException("Failed to " + action + " " + path + ": " + ex.getMessage(), ex);
	}

	private record Versioned(String path, int version, Object binding) {
	}

}
