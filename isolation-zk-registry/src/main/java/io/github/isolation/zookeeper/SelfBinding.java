package io.github.isolation.zookeeper;

import java.io.Closeable;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEventType;
import org.apache.curator.framework.api.CuratorListener;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.recipes.nodes.PersistentNodeListener;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.LogSafe;

/**
 * An instance's binding of itself to its group: an <b>ephemeral</b> node at
 * {@code {root}/bindings/{serviceId}/{host}:{port}}, kept by Curator's {@link PersistentNode}.
 * While the instance runs, Curator restores the node after a reconnect and after a session
 * expiry; when the instance dies, its session ends and ZooKeeper removes the node, so traffic
 * falls back to {@code stable} without anybody cleaning up. {@link #close()} removes the node
 * at once (graceful shutdown).
 *
 * <p><b>An operator's binding wins.</b> When a persistent binding (written by an operator, a
 * console or {@code isolation}, the command-line tool) is at the path, the self-binding logs a warning, does not
 * touch it, and reports {@link Status#OVERRIDDEN}; should the persistent binding be removed
 * later, the self-binding takes its place again. The instance watches its own path through a
 * single-node {@link CuratorCache} for this. One race is left: a persistent binding written
 * at the path in the moment between the instance's node vanishing (a session expiry) and
 * Curator recreating it gets the instance's group written into it; the node stays persistent
 * and the instance steps back from it, as above.
 *
 * <p><b>ACLs.</b> With {@link DigestCredentials}, the node gets their ACL (only that identity
 * may change it, anyone may read it), and so do its parents where this class creates them, so
 * that nobody else can delete it either; the client must authenticate with the credentials.
 * Curator's {@code PersistentNode} creates the node with the client's default ACL and this
 * class sets the ACL right after each creation; a client built with
 * {@link DigestCredentials#aclProvider(BindingPaths)} has the ACL on the node from its first
 * moment.
 *
 * <p>The lifecycle is that of Curator's recipes: {@link #start()} once, {@link #close()} any
 * number of times; the client is the caller's and must be started first. Should the client be
 * closed first, the self-binding stops with it and the node goes with the client's session.
 *
 * @since 0.1.0
 */
public final class SelfBinding implements Closeable {

	private static final Logger logger = LoggerFactory.getLogger(SelfBinding.class);

	/** Where the self-binding stands. */
	public enum Status {

		/** Not started. */
		LATENT,

		/** Started, the node is not (yet, or at the moment) there. */
		PENDING,

		/** The instance's ephemeral node is there. */
		BOUND,

		/** An operator's persistent binding is at the path and wins. */
		OVERRIDDEN,

		/** Closed. */
		CLOSED

	}

	private enum State {

		LATENT, STARTED, CLOSED

	}

	private final CuratorFramework client;

	private final String path;

	private final String serviceId;

	private final InstanceAddress address;

	private final IsolationGroup group;

	private final DigestCredentials credentials;

	private final CuratorCache cache;

	private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

	// Curator's PersistentNode must be closed before its client: on a closed client it retries
	// its create without end. The client announces its close, so stop the node then.
	private final CuratorListener closingListener = (client, event) -> {
		if (event.getType() == CuratorEventType.CLOSING) {
			clientClosing();
		}
	};

	// Guarded by this.
	private OwnNode node;

	// Guarded by this.
	private boolean overriddenWarned;

	// Guarded by this.
	private boolean parentsProtected;

	// Guarded by this.
	private boolean protectingParents;

	/**
	 * A self-binding under the default root, without ACLs.
	 * @param client a started client
	 * @param serviceId the instance's service id, in any case
	 * @param address the instance's address, as discovery reports it
	 * @param group the instance's group
	 */
	public SelfBinding(CuratorFramework client, String serviceId, InstanceAddress address, IsolationGroup group) {
		this(client, BindingPaths.defaults(), null, serviceId, address, group);
	}

	/**
	 * A self-binding.
	 * @param client a started client, which must authenticate with the credentials if any
	 * @param paths the layout
	 * @param credentials the credentials whose ACL the node gets, or {@code null} for the
	 * client's default ACL
	 * @param serviceId the instance's service id, in any case
	 * @param address the instance's address, as discovery reports it
	 * @param group the instance's group
	 */
	public SelfBinding(CuratorFramework client, BindingPaths paths, DigestCredentials credentials, String serviceId,
			InstanceAddress address, IsolationGroup group) {
		this.client = Objects.requireNonNull(client, "client must not be null");
		this.serviceId = BindingNames.checkServiceId(serviceId);
		this.address = Objects.requireNonNull(address, "address must not be null");
		this.group = Objects.requireNonNull(group, "group must not be null");
		this.path = paths.instancePath(serviceId, address);
		this.credentials = credentials;
		this.cache = CuratorCache.build(client, this.path, CuratorCache.Options.SINGLE_NODE_CACHE);
	}

	/**
	 * Starts binding. Returns at once: the node is created in the background as soon as
	 * ZooKeeper can be reached.
	 * @throws IllegalStateException if already started or closed
	 */
	public void start() {
		if (!this.state.compareAndSet(State.LATENT, State.STARTED)) {
			throw new IllegalStateException("SelfBinding can be started only once");
		}
		this.client.getCuratorListenable().addListener(this.closingListener);
		this.cache.listenable().addListener(CuratorCacheListener.builder()
			.forAll((type, oldData, data) -> reconcile())
			.forInitialized(this::reconcile)
			.build());
		this.cache.start();
	}

	/**
	 * Removes the binding (unless it is an operator's) and stops keeping it. Idempotent. Does
	 * not wait for ZooKeeper: the removal is retried in the background if the connection is
	 * down, and the node goes with the session in any case.
	 */
	@Override
	public void close() {
		if (this.state.getAndSet(State.CLOSED) != State.STARTED) {
			return;
		}
		this.client.getCuratorListenable().removeListener(this.closingListener);
		OwnNode current;
		synchronized (this) {
			current = this.node;
			this.node = null;
		}
		boolean operators = isOperatorBinding(this.cache.get(this.path));
		if (current != null) {
			current.closeQuietly(!operators);
		}
		this.cache.close();
		if (operators) {
			logger.info("Stopped the self-binding of {} {}; the persistent binding at {} stays", this.serviceId,
					this.address, this.path);
		}
		else {
			logger.info("Removed the self-binding of {} {} to '{}'", this.serviceId, this.address, this.group);
		}
	}

	/** The client closes first: stop without deleting, the node goes with the session. */
	private void clientClosing() {
		if (this.state.getAndSet(State.CLOSED) != State.STARTED) {
			return;
		}
		OwnNode current;
		synchronized (this) {
			current = this.node;
			this.node = null;
		}
		if (current != null) {
			current.closeQuietly(false);
		}
		this.cache.close();
		logger.info("ZooKeeper client closing: the self-binding of {} {} goes with its session", this.serviceId,
				this.address);
	}

	/**
	 * The path of the binding node.
	 * @return {@code {root}/bindings/{serviceId}/{host}:{port}}
	 */
	public String path() {
		return this.path;
	}

	/**
	 * The group this instance binds itself to.
	 * @return the group
	 */
	public IsolationGroup group() {
		return this.group;
	}

	/**
	 * Where the self-binding stands, as far as this client has seen.
	 * @return the status
	 */
	public Status status() {
		State current = this.state.get();
		if (current != State.STARTED) {
			return (current == State.LATENT) ? Status.LATENT : Status.CLOSED;
		}
		Optional<ChildData> data = this.cache.get(this.path);
		if (isOperatorBinding(data)) {
			return Status.OVERRIDDEN;
		}
		synchronized (this) {
			return (data.isPresent() && this.node != null) ? Status.BOUND : Status.PENDING;
		}
	}

	/**
	 * Starts or stops the PersistentNode after what the cache shows. Runs on Curator's event
	 * thread, so it only hands work to ZooKeeper in the background and never waits for it.
	 */
	private synchronized void reconcile() {
		if (this.state.get() != State.STARTED) {
			return;
		}
		Optional<ChildData> data = this.cache.get(this.path);
		if (isOperatorBinding(data)) {
			if (!this.overriddenWarned) {
				this.overriddenWarned = true;
				logger.warn("{} holds a persistent binding to {}, which wins over this instance's own group '{}'; "
						+ "not binding it while that binding is there", this.path, describe(data.get().getData()),
						this.group);
			}
			if (this.node != null) {
				this.node.closeQuietly(false);
				this.node = null;
			}
			return;
		}
		if (this.node == null) {
			if (this.credentials != null && !this.parentsProtected) {
				if (!this.protectingParents) {
					this.protectingParents = true;
					protectParents();
				}
				return;
			}
			if (this.overriddenWarned) {
				this.overriddenWarned = false;
				logger.info("The persistent binding at {} is gone; binding this instance to '{}' again", this.path,
						this.group);
			}
			// A PersistentNode cannot be restarted, so each (re)start takes a new one.
			this.node = new OwnNode();
			this.node.start();
		}
	}

	/**
	 * Creates the service node with the ACL before the binding, so that clients without the
	 * credentials can neither delete the binding nor add one beside it: ZooKeeper checks a
	 * parent's ACL for both. The binding is started from the callback, whatever the outcome.
	 */
	private void protectParents() {
		String servicePath = ZKPaths.getPathAndNode(this.path).getPath();
		try {
			this.client.create()
				.creatingParentContainersIfNeeded()
				.withMode(CreateMode.CONTAINER)
				.withACL(this.credentials.acl(), true)
				.inBackground((client, event) -> {
					int code = event.getResultCode();
					if (code != KeeperException.Code.OK.intValue() && code != KeeperException.Code.NODEEXISTS.intValue()) {
						logger.warn("Could not create {} with the ACL of user {} ({}); binding without it",
								servicePath, LogSafe.quote(this.credentials.user()), KeeperException.Code.get(code));
					}
					synchronized (this) {
						this.parentsProtected = true;
					}
					reconcile();
				})
				.forPath(servicePath);
		}
		catch (Exception ex) {
			logger.warn("Could not create {} with an ACL; binding without it", servicePath, ex);
			this.parentsProtected = true;
			reconcile();
		}
	}

	private static boolean isOperatorBinding(Optional<ChildData> data) {
		return data.isPresent() && data.get().getStat() != null && data.get().getStat().getEphemeralOwner() == 0;
	}

	private static String describe(byte[] data) {
		Object group = BindingNodes.decodeGroup(data);
		return (group instanceof IsolationGroup) ? "'" + group + "'" : "no valid group";
	}

	/** The ephemeral node, which deletes itself on close only when it is still ours. */
	private final class OwnNode {

		private final PersistentNode node;

		private volatile boolean deleteOnClose = true;

		OwnNode() {
			this.node = new PersistentNode(SelfBinding.this.client, CreateMode.EPHEMERAL, false, SelfBinding.this.path,
					BindingNodes.encode(SelfBinding.this.group), true) {

				@Override
				protected void deleteNode() throws Exception {
					if (OwnNode.this.deleteOnClose) {
						// In the background, with retries: close() must not hang on a lost connection.
						SelfBinding.this.client.delete().guaranteed().inBackground().forPath(SelfBinding.this.path);
					}
				}

			};
			this.node.getListenable().addListener((PersistentNodeListener) this::created);
		}

		void start() {
			this.node.start();
		}

		private void created(String createdPath) {
			logger.info("Bound {} {} to '{}' (ephemeral {})", SelfBinding.this.serviceId, SelfBinding.this.address,
					SelfBinding.this.group, createdPath);
			DigestCredentials credentials = SelfBinding.this.credentials;
			if (credentials == null) {
				return;
			}
			try {
				SelfBinding.this.client.setACL()
					.withACL(credentials.acl())
					.inBackground((client, event) -> {
						if (event.getResultCode() != KeeperException.Code.OK.intValue()
								&& event.getResultCode() != KeeperException.Code.NONODE.intValue()) {
							logger.warn("Could not protect {} with the ACL of user {}: {}", LogSafe.quote(createdPath),
									LogSafe.quote(credentials.user()),
									KeeperException.Code.get(event.getResultCode()));
						}
					})
					.forPath(createdPath);
			}
			catch (Exception ex) {
				logger.warn("Could not protect {} with an ACL", LogSafe.quote(createdPath), ex);
			}
		}

		void closeQuietly(boolean delete) {
			this.deleteOnClose = delete;
			try {
				this.node.close();
			}
			catch (Exception ex) {
				logger.warn("Could not remove self-binding {}", SelfBinding.this.path, ex);
			}
		}

	}

}
