package io.github.isolation.zookeeper;

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.cache.CuratorCacheStorage;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.LogSafe;

/**
 * All bindings under a root, held in memory and kept up to date through Curator's
 * {@link CuratorCache}: the {@link GroupBindings} that routing reads. Every lookup answers
 * from an immutable {@link BindingsSnapshot} held in memory; no lookup ever waits for
 * ZooKeeper. Each change in ZooKeeper makes a new snapshot, which replaces the old one
 * atomically, so a lookup sees either the old bindings or the new ones, never a mix; a rebind
 * (new data in the same node) goes from the old group to the new one without a moment
 * unbound in between.
 *
 * <p><b>A change costs what it changes.</b> The next snapshot is made from the last one by
 * putting in or taking out the one binding that changed, sharing everything else, in time
 * that does not grow with the number of bindings; and each service has a
 * {@link #generation(String) generation} of its own, so that a change of one service's
 * bindings makes routing rebuild what it keeps for that service only. Only the first load,
 * and the cache's own load that follows it, build a snapshot of the whole tree.
 *
 * <p>The first load reads the whole tree in a few multi-read requests ({@code BulkRead}) and
 * serves it at once; the cache then loads the tree node by node and takes over. For ten
 * thousand bindings that is a few hundred milliseconds instead of seconds. Where the bulk read
 * cannot be made (a server before 3.6, a tree that is not world-readable), the view waits for
 * the cache as it would without it.
 *
 * <p><b>When ZooKeeper is unreachable</b> the view keeps serving the last bindings it saw,
 * for as long as the connection is {@link Connection#SUSPENDED SUSPENDED} or
 * {@link Connection#LOST LOST}; when the connection comes back, Curator reads the tree again
 * and the view catches up, dropping the bindings of instances whose sessions ended meanwhile.
 * What a partition can cost: changes made in ZooKeeper while this client cannot see it
 * (including an instance's ephemeral binding vanishing when it dies) reach the view only
 * after the reconnect, so for that long it may route by a binding that is gone, or miss a new
 * one. {@link #age()} says how stale the view may be. A view started while ZooKeeper is down
 * serves no bindings at all (everything resolves as its discovery metadata says) until the
 * first load, after which {@link #isInitialized()} is {@code true}.
 *
 * <p><b>Malformed data never breaks the view.</b> A node that is not a well-formed binding is
 * left out with one warning (and one {@link BindingsListener#nodeSkipped} call) per node and
 * version, not one per rebuild: a group name that is not valid, data that is empty, not UTF-8
 * or longer than 256 bytes, a child of the root other than {@code bindings} and
 * {@code sources}, a malformed service id, {@code host:port} or IP address, a node below a
 * binding (the nodes below a skipped node are skipped without a warning of their own). Where
 * two nodes name the same instance in different spellings ({@code Inventory} and
 * {@code inventory}), the one in canonical spelling (see {@link BindingNames}) wins and the
 * other is skipped. Untrusted values appear in logs only through {@link LogSafe#quote}.
 *
 * <p><b>Only what an instance uses.</b> With a {@link BindingsScope#used used} scope the view
 * holds the bindings of a few services: those the scope names from the start, and each
 * service that {@link #prepare(String)} names afterwards, which reads that service's bindings
 * before it returns (for at most the scope's {@link BindingsScope#firstReadTimeout() first-read
 * timeout}), so that the first call to a service routes by its bindings at once. Each service
 * (and the source bindings, if the scope asks for them) is followed by a cache of its own on
 * its subtree, so changes elsewhere in the tree never reach this instance. If ZooKeeper does
 * not answer in time, {@link #prepare(String)} says so in a log line and returns; the
 * service's calls are routed by discovery metadata until its bindings arrive, and no call
 * fails for it.
 *
 * <p>The lifecycle is that of Curator's recipes: {@link #start()} once, {@link #close()} any
 * number of times. The client is the caller's: it must be started before this view, and it
 * is never closed here. After {@link #close()} the view keeps answering from its last
 * snapshot but no longer follows ZooKeeper.
 *
 * @since 0.1.0
 */
public final class BindingsView implements GroupBindings, Closeable {

	private static final Logger logger = LoggerFactory.getLogger(BindingsView.class);

	private static final int MAX_SHARED = 10_000;

	/** The view's connection to ZooKeeper. */
	public enum Connection {

		/** Started, never connected yet. */
		CONNECTING,

		/** Connected: the view follows ZooKeeper. */
		CONNECTED,

		/** The connection dropped; the session may still be alive. The last view is served. */
		SUSPENDED,

		/** The session is considered gone. The last view is served until the reconnect. */
		LOST

	}

	private enum State {

		LATENT, STARTED, CLOSED

	}

	private final CuratorFramework client;

	private final BindingPaths paths;

	private final Clock clock;

	private final BindingsScope scope;

	// The cache of the whole tree; null when the scope holds only some services.
	private final CuratorCache cache;

	// With a used scope: the cache of each followed subtree, by its path.
	private final Map<String, Followed> followed = new ConcurrentHashMap<>();

	private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

	private final AtomicReference<BindingsSnapshot> snapshot = new AtomicReference<>(BindingsSnapshot.EMPTY);

	private final List<BindingsListener> listeners = new CopyOnWriteArrayList<>();

	private final CountDownLatch initializedLatch = new CountDownLatch(1);

	private final ConnectionStateListener connectionStateListener = (client, newState) -> connectionChanged(newState);

	// Guarded by itself. Curator calls the cache listener on one thread, but the lock keeps
	// that an implementation detail rather than an assumption.
	private final Map<String, Entry> entries = new HashMap<>();

	// One copy of each service id and group named by bindings. Guarded by entries.
	private final Map<Object, Object> shared = new HashMap<>();

	// Path -> modification zxid of the version already warned about, so a bad node warns once.
	private final Map<String, Long> warned = new HashMap<>();

	private volatile boolean initialized;

	// Whether the cache has loaded the tree; until then its events only fill the entries, and
	// what is served comes from the bulk read, if that finished first. Guarded by entries.
	private boolean cacheLoaded;

	private volatile Connection connection = Connection.CONNECTING;

	private volatile Instant startedAt;

	private volatile Instant lastUpdated;

	private volatile Instant disconnectedSince;

	// Paths of bindings whose node is not in canonical spelling, by the binding they name;
	// rare, and what decides which of two spellings of one binding wins. Guarded by entries.
	private final Map<String, TreeSet<String>> nonCanonical = new HashMap<>();

	// Written only under the entries lock, after the snapshot it counts.
	private volatile long generation;

	// The generation of each service's bindings; written only under the entries lock, after
	// the snapshot it counts and before the global generation.
	private volatile Generations generations = Generations.NONE;

	/**
	 * A view of the bindings under the default root.
	 * @param client a started client
	 */
	public BindingsView(CuratorFramework client) {
		this(client, BindingPaths.defaults());
	}

	/**
	 * A view of the bindings under a root.
	 * @param client a started client
	 * @param paths the layout
	 */
	public BindingsView(CuratorFramework client, BindingPaths paths) {
		this(client, paths, Clock.systemUTC());
	}

	/**
	 * A view of the bindings under a root, with a clock for its timestamps.
	 * @param client a started client
	 * @param paths the layout
	 * @param clock the clock
	 */
	public BindingsView(CuratorFramework client, BindingPaths paths, Clock clock) {
		this(client, paths, clock, BindingsScope.all());
	}

	/**
	 * A view of some or all of the bindings under a root.
	 * @param client a started client
	 * @param paths the layout
	 * @param scope which bindings to hold
	 * @since 0.1.0
	 */
	public BindingsView(CuratorFramework client, BindingPaths paths, BindingsScope scope) {
		this(client, paths, Clock.systemUTC(), scope);
	}

	/**
	 * A view of some or all of the bindings under a root, with a clock for its timestamps.
	 * @param client a started client
	 * @param paths the layout
	 * @param clock the clock
	 * @param scope which bindings to hold
	 * @since 0.1.0
	 */
	public BindingsView(CuratorFramework client, BindingPaths paths, Clock clock, BindingsScope scope) {
		this.client = Objects.requireNonNull(client, "client must not be null");
		this.paths = Objects.requireNonNull(paths, "paths must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.scope = Objects.requireNonNull(scope, "scope must not be null");
		this.cache = scope.everything() ? newCache(paths.root()) : null;
	}

	private CuratorCache newCache(String path) {
		// The view keeps its own parsed copy; caching the bytes too would hold every oversized
		// node that somebody writes.
		return CuratorCache.builder(this.client, path)
			.withStorage(CuratorCacheStorage.dataNotCached())
			.withExceptionHandler(this::cacheFailed)
			.build();
	}

	/**
	 * Starts following ZooKeeper. Returns at once; the first load happens in the background.
	 * @throws IllegalStateException if already started or closed
	 */
	public void start() {
		if (!this.state.compareAndSet(State.LATENT, State.STARTED)) {
			throw new IllegalStateException("BindingsView can be started only once");
		}
		this.startedAt = this.clock.instant();
		if (this.client.getZookeeperClient().isConnected()) {
			this.connection = Connection.CONNECTED;
		}
		else {
			logger.info("ZooKeeper at {} is not connected yet; serving no bindings until the first load of {}",
					this.client.getZookeeperClient().getCurrentConnectionString(), this.paths.root());
		}
		this.client.getConnectionStateListenable().addListener(this.connectionStateListener);
		if (!this.scope.everything()) {
			startFollowing();
			return;
		}
		this.cache.listenable().addListener(CuratorCacheListener.builder()
			.forAll(this::nodeChanged)
			.forInitialized(this::loaded)
			.build());
		if (this.connection == Connection.CONNECTED) {
			// The cache starts after the bulk read: ZooKeeper answers a session's requests in
			// order, so started together the cache's many requests would delay the bulk read's.
			Thread bulkLoad = new Thread(() -> {
				bulkLoad();
				startCache();
			}, "isolation-bindings-load");
			bulkLoad.setDaemon(true);
			bulkLoad.start();
		}
		else {
			startCache();
		}
	}

	/**
	 * Follows the subtrees the scope names from the start; the view counts as loaded once all
	 * of them are (at once if there are none).
	 */
	private void startFollowing() {
		synchronized (this.entries) {
			// Each followed subtree is small: its changes are served as they arrive.
			this.cacheLoaded = true;
		}
		List<String> initial = new ArrayList<>();
		for (String service : this.scope.services()) {
			initial.add(this.paths.servicePath(service));
		}
		if (this.scope.sources()) {
			initial.add(this.paths.sourcesPath());
		}
		if (initial.isEmpty()) {
			markInitialized();
			return;
		}
		AtomicInteger pending = new AtomicInteger(initial.size());
		for (String path : initial) {
			follow(path, () -> {
				if (pending.decrementAndGet() == 0) {
					markInitialized();
				}
			});
		}
	}

	private void markInitialized() {
		this.initialized = true;
		this.lastUpdated = this.clock.instant();
		this.initializedLatch.countDown();
		BindingsSnapshot loaded = this.snapshot.get();
		logger.info("Loaded {} instance and {} source bindings of {} services{} from {}; other services' bindings"
				+ " are read when this instance first calls them", loaded.instanceBindingCount(),
				loaded.sourceBindingCount(), this.scope.services().size(),
				this.scope.sources() ? " and the source bindings" : "", this.paths.root());
	}

	/** Starts a cache on one subtree, unless one follows it already; returns the one that does. */
	private Followed follow(String path, Runnable onLoaded) {
		Followed created = new Followed(newCache(path), new CountDownLatch(1));
		Followed existing = this.followed.putIfAbsent(path, created);
		if (existing != null) {
			onLoaded.run();
			return existing;
		}
		created.cache().listenable().addListener(CuratorCacheListener.builder()
			.forAll(this::nodeChanged)
			.forInitialized(() -> {
				created.loaded().countDown();
				onLoaded.run();
			})
			.build());
		synchronized (this.entries) {
			if (this.state.get() == State.STARTED) {
				created.cache().start();
			}
		}
		return created;
	}

	/**
	 * With a {@link BindingsScope#used used} scope, starts holding the bindings of a service
	 * and waits until they are read, at most for the scope's first-read timeout, so that the
	 * first routing decision for the service already sees them; from then on they follow
	 * ZooKeeper like any others. If the read does not finish in time (ZooKeeper unreachable,
	 * say), it logs that the service is routed by discovery metadata until its bindings
	 * arrive, and returns. Returns at once for a service already held, with the default scope
	 * (which holds every service), and before {@link #start()} or after {@link #close()}.
	 * Never throws.
	 * @param serviceId the service id, in any case; a malformed one is ignored
	 * @since 0.1.0
	 */
	@Override
	public void prepare(String serviceId) {
		if (this.scope.everything() || this.state.get() != State.STARTED) {
			return;
		}
		String canonical = BindingNames.canonicalServiceId(serviceId);
		if (canonical == null) {
			return;
		}
		Followed service = follow(this.paths.servicePath(canonical), () -> {
		});
		if (service.loaded().getCount() == 0) {
			return;
		}
		Duration timeout = this.scope.firstReadTimeout();
		try {
			if (!service.loaded().await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Could not read the bindings of service {} within {} (ZooKeeper {}): routing its calls by"
						+ " discovery metadata until they arrive", LogSafe.quote(serviceId), timeout,
						this.connection.name().toLowerCase(Locale.ROOT));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The services whose bindings this view holds: with the default scope, every service; with
	 * a {@link BindingsScope#used used} scope, the canonical ids of those named from the start
	 * and by {@link #prepare(String)} so far.
	 * @return the service ids, or empty with the default scope, which holds them all
	 * @since 0.1.0
	 */
	public Set<String> followedServices() {
		Set<String> services = new TreeSet<>();
		String prefix = this.paths.bindingsPath() + "/";
		for (String path : this.followed.keySet()) {
			if (path.startsWith(prefix)) {
				services.add(path.substring(prefix.length()));
			}
		}
		return services;
	}

	/**
	 * Which bindings this view holds.
	 * @return the scope it was made with
	 * @since 0.1.0
	 */
	public BindingsScope scope() {
		return this.scope;
	}

	private void startCache() {
		synchronized (this.entries) {
			if (this.state.get() == State.STARTED) {
				this.cache.start();
			}
		}
	}

	/**
	 * Serves the whole tree, read in a few pipelined requests, before the cache loads it node by
	 * node. The cache's own load replaces it as soon as it is complete, and from then on the
	 * cache alone: a change made between the two reads reaches the view at the latest then.
	 */
	private void bulkLoad() {
		List<ChildData> nodes;
		try {
			nodes = BulkRead.read(this.client, this.paths,
					this.client.getZookeeperClient().getConnectionTimeoutMs());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (Exception ex) {
			logger.debug("Could not read the bindings under {} at once; waiting for the full load", this.paths.root(),
					ex);
			return;
		}
		synchronized (this.entries) {
			if (this.state.get() != State.STARTED || this.cacheLoaded) {
				return;
			}
			Map<String, Entry> read = new HashMap<>();
			for (ChildData node : nodes) {
				read(read, node);
			}
			publish(read);
			this.initialized = true;
		}
		this.initializedLatch.countDown();
	}

	/**
	 * Stops following ZooKeeper. Idempotent.
	 */
	@Override
	public void close() {
		if (this.state.getAndSet(State.CLOSED) == State.STARTED) {
			this.client.getConnectionStateListenable().removeListener(this.connectionStateListener);
			synchronized (this.entries) {
				if (this.cache != null) {
					this.cache.close();
				}
				for (Followed each : this.followed.values()) {
					each.cache().close();
				}
			}
		}
	}

	@Override
	public Optional<IsolationGroup> instanceGroup(String serviceId, String host, int port) {
		return this.snapshot.get().instanceBinding(serviceId, host, port).map(InstanceBinding::group);
	}

	/**
	 * The group of the instance's ephemeral binding: one an instance holds itself
	 * ({@link SelfBinding}), which goes with its session.
	 */
	@Override
	public Optional<IsolationGroup> selfBoundGroup(String serviceId, String host, int port) {
		return this.snapshot.get()
			.instanceBinding(serviceId, host, port)
			.filter(InstanceBinding::ephemeral)
			.map(InstanceBinding::group);
	}

	@Override
	public Optional<IsolationGroup> sourceGroup(String address) {
		return this.snapshot.get().sourceBinding(address).map(SourceBinding::group);
	}

	/**
	 * Counts the snapshots this view has served: it goes up by one each time a new snapshot
	 * replaces the old one, and only after the new one is served, so that routing that keeps
	 * what it derived from the bindings under this number notices every change.
	 * @return the number of snapshots published so far, {@code 0} before the first load
	 */
	@Override
	public long generation() {
		return this.generation;
	}

	/**
	 * The generation of one service's bindings: it changes when a binding of that service
	 * changes (and when the whole tree is read again), and stays the same while only other
	 * services' bindings change, so that routing rebuilds what it keeps for the service that
	 * changed and nothing else. Like {@link #generation()}, it changes only after the snapshot
	 * it counts is served. Values of different services are not comparable with each other.
	 * @param serviceId the service id, in any case
	 * @return the generation of the service's bindings, {@code 0} before the first load
	 * @since 0.1.0
	 */
	@Override
	public long generation(String serviceId) {
		Generations current = this.generations;
		if (serviceId == null) {
			return current.base();
		}
		Long generation = current.services().get(serviceId);
		if (generation == null && !BindingNames.isCanonicalServiceId(serviceId)) {
			String canonical = BindingNames.canonicalServiceId(serviceId);
			generation = (canonical != null) ? current.services().get(canonical) : null;
		}
		return (generation != null) ? generation : current.base();
	}

	/**
	 * The bindings served now.
	 * @return the current snapshot, empty before the first load
	 */
	public BindingsSnapshot snapshot() {
		return this.snapshot.get();
	}

	/**
	 * Whether the view has loaded the tree at least once since it started.
	 * @return {@code true} after the first load
	 */
	public boolean isInitialized() {
		return this.initialized;
	}

	/**
	 * Waits for the first load, for example to log a warning at startup when ZooKeeper is
	 * down. Lookups never need to wait: they answer from whatever the view holds.
	 * @param timeout how long to wait at most
	 * @return {@code true} if the view is loaded
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitInitialized(Duration timeout) throws InterruptedException {
		return this.initializedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * The view's connection to ZooKeeper.
	 * @return the connection state
	 */
	public Connection connection() {
		return this.connection;
	}

	/**
	 * When the served snapshot last changed.
	 * @return the time of the last load or change, empty before the first load
	 */
	public Optional<Instant> lastUpdated() {
		return Optional.ofNullable(this.lastUpdated);
	}

	/**
	 * Since when the view has been cut off from ZooKeeper.
	 * @return the moment the connection dropped, empty while connected
	 */
	public Optional<Instant> disconnectedSince() {
		return Optional.ofNullable(this.disconnectedSince);
	}

	/**
	 * How stale the served bindings may be: zero while the view is loaded and connected; the
	 * time since the connection dropped while it is cut off; the time since {@link #start()}
	 * before the first load. Zero before the view starts.
	 * @return the age of the view
	 */
	public Duration age() {
		Instant started = this.startedAt;
		if (started == null) {
			return Duration.ZERO;
		}
		Instant now = this.clock.instant();
		Instant since = this.disconnectedSince;
		if (since != null) {
			return Duration.between(since, now);
		}
		return this.initialized ? Duration.ZERO : Duration.between(started, now);
	}

	/**
	 * Adds a listener.
	 * @param listener the listener
	 */
	public void addListener(BindingsListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	public void removeListener(BindingsListener listener) {
		this.listeners.remove(listener);
	}

	private void nodeChanged(CuratorCacheListener.Type type, ChildData oldData, ChildData data) {
		synchronized (this.entries) {
			if (this.state.get() != State.STARTED) {
				return;
			}
			String path;
			Entry before;
			if (type == CuratorCacheListener.Type.NODE_DELETED) {
				path = oldData.getPath();
				this.warned.remove(path);
				before = this.entries.remove(path);
				if (before == null) {
					return;
				}
			}
			else {
				path = data.getPath();
				before = this.entries.get(path);
				if (!read(this.entries, data)) {
					return;
				}
			}
			if (this.cacheLoaded) {
				apply(path, before, this.entries.get(path));
			}
		}
	}

	/**
	 * Brings the served snapshot up to date with a change of one node: only the binding that
	 * node names is looked at, so the cost does not depend on how many bindings there are.
	 */
	private void apply(String path, Entry before, Entry after) {
		Object binding = (after != null) ? after.binding() : before.binding();
		String key = keyOf(binding);
		if (!canonicalPath(binding).equals(path)) {
			if (after != null) {
				this.nonCanonical.computeIfAbsent(key, (k) -> new TreeSet<>()).add(path);
			}
			else {
				TreeSet<String> aliases = this.nonCanonical.get(key);
				if (aliases != null && aliases.remove(path) && aliases.isEmpty()) {
					this.nonCanonical.remove(key);
				}
			}
		}
		// The canonical spelling wins, then the first path in order: the same choice as a full
		// rebuild makes, whatever order the nodes arrived in.
		String canonicalPath = canonicalPath(binding);
		Entry winner = this.entries.get(canonicalPath);
		String winnerPath = canonicalPath;
		TreeSet<String> aliases = this.nonCanonical.get(key);
		if (winner == null && aliases != null) {
			winnerPath = aliases.first();
			winner = this.entries.get(winnerPath);
		}
		if (aliases != null) {
			for (String alias : aliases) {
				if (!alias.equals(winnerPath)) {
					skip(alias, this.entries.get(alias).zxid(), "names the same binding as " + LogSafe.quote(winnerPath));
				}
			}
		}
		BindingsSnapshot current = this.snapshot.get();
		BindingsSnapshot next;
		if (binding instanceof InstanceBinding instance) {
			next = (winner != null) ? current.with((InstanceBinding) winner.binding())
					: current.withoutInstance(instance.serviceId(), instance.address());
		}
		else {
			SourceBinding source = (SourceBinding) binding;
			next = (winner != null) ? current.with((SourceBinding) winner.binding())
					: current.withoutSource(source.address());
		}
		if (next == current) {
			return;
		}
		long generation = this.generation + 1;
		this.snapshot.set(next);
		if (binding instanceof InstanceBinding instance) {
			Generations last = this.generations;
			this.generations = new Generations(last.services().with(instance.serviceId(), generation), last.base());
		}
		this.generation = generation;
		served(next);
	}

	/** Reads a created or changed node into entries; {@code true} if that changes them. */
	private boolean read(Map<String, Entry> entries, ChildData data) {
		String path = data.getPath();
		long zxid = (data.getStat() != null) ? data.getStat().getMzxid() : 0;
		Object read = BindingNodes.read(this.paths, path, data.getStat(), data.getData());
		if (read instanceof BindingNodes.Skipped skipped) {
			if (skipped.warn()) {
				skip(path, zxid, skipped.reason());
			}
			return entries.remove(path) != null;
		}
		if (read == null) {
			return false;
		}
		read = shared(read);
		Entry previous = entries.put(path, new Entry(read, zxid));
		return previous == null || !previous.binding().equals(read);
	}

	/**
	 * The binding with the one copy of its service id and group that all bindings share: a
	 * hundred thousand bindings name a few hundred services and groups, and a copy of each
	 * per binding would be a third of the view's memory.
	 */
	private Object shared(Object binding) {
		if (binding instanceof InstanceBinding instance) {
			String serviceId = share(instance.serviceId());
			IsolationGroup group = share(instance.group());
			if (serviceId != instance.serviceId() || group != instance.group()) {
				return new InstanceBinding(serviceId, instance.address(), group, instance.ephemeral());
			}
		}
		else if (binding instanceof SourceBinding source) {
			IsolationGroup group = share(source.group());
			if (group != source.group()) {
				return new SourceBinding(source.address(), group, source.ephemeral());
			}
		}
		return binding;
	}

	@SuppressWarnings("unchecked")
	private <T> T share(T value) {
		Object shared = this.shared.get(value);
		if (shared != null) {
			return (T) shared;
		}
		// Bounded, so that names that come and go cannot grow it without end; past the bound,
		// values are simply not shared.
		if (this.shared.size() < MAX_SHARED) {
			this.shared.put(value, value);
		}
		return value;
	}

	private void loaded() {
		synchronized (this.entries) {
			if (this.state.get() != State.STARTED) {
				return;
			}
			this.cacheLoaded = true;
			this.initialized = true;
			publish(this.entries);
			BindingsSnapshot loaded = this.snapshot.get();
			logger.info("Loaded {} instance and {} source bindings from {}", loaded.instanceBindingCount(),
					loaded.sourceBindingCount(), this.paths.root());
		}
		this.initializedLatch.countDown();
	}

	/**
	 * Builds a snapshot of all the given entries and swaps it in: for a load of the whole tree,
	 * after which every service's generation is new.
	 */
	private void publish(Map<String, Entry> entries) {
		List<InstanceBinding> instances = new ArrayList<>();
		List<SourceBinding> sources = new ArrayList<>();
		Map<String, String> firstPathOfKey = new HashMap<>();
		this.nonCanonical.clear();
		// The canonical spelling first, then path order: which of two spellings of one binding
		// wins must not depend on the order the nodes arrived in.
		List<Map.Entry<String, Entry>> ordered = new ArrayList<>(entries.size());
		List<Map.Entry<String, Entry>> others = new ArrayList<>();
		for (Map.Entry<String, Entry> each : entries.entrySet()) {
			if (canonicalPath(each.getValue().binding()).equals(each.getKey())) {
				ordered.add(each);
			}
			else {
				others.add(each);
				this.nonCanonical.computeIfAbsent(keyOf(each.getValue().binding()), (k) -> new TreeSet<>())
					.add(each.getKey());
			}
		}
		others.sort(Map.Entry.comparingByKey());
		ordered.addAll(others);
		for (Map.Entry<String, Entry> each : ordered) {
			Object binding = each.getValue().binding();
			String key = keyOf(binding);
			String first = firstPathOfKey.putIfAbsent(key, each.getKey());
			if (first != null) {
				skip(each.getKey(), each.getValue().zxid(), "names the same binding as " + LogSafe.quote(first));
			}
			else if (binding instanceof InstanceBinding instance) {
				instances.add(instance);
			}
			else {
				sources.add((SourceBinding) binding);
			}
		}
		BindingsSnapshot next = BindingsSnapshot.of(instances, sources);
		long generation = this.generation + 1;
		this.snapshot.set(next);
		this.generations = new Generations(HashTrie.empty(), generation);
		this.generation = generation;
		served(next);
	}

	private void served(BindingsSnapshot next) {
		this.lastUpdated = this.clock.instant();
		notifyListeners((listener) -> listener.bindingsChanged(next));
	}

	/** What two nodes naming the same binding have in common, whatever their spelling. */
	private static String keyOf(Object binding) {
		return (binding instanceof InstanceBinding instance) ? "i " + instance.serviceId() + " " + instance.address()
				: "s " + ((SourceBinding) binding).address();
	}

	private String canonicalPath(Object binding) {
		return (binding instanceof InstanceBinding instance)
				? this.paths.instancePath(instance.serviceId(), instance.address())
				: this.paths.sourcePath(((SourceBinding) binding).address());
	}

	private void skip(String path, long zxid, String reason) {
		Long previous = this.warned.put(path, zxid);
		if (previous != null && previous == zxid) {
			return;
		}
		logger.warn("Skipping {}: {}", LogSafe.quote(path), reason);
		notifyListeners((listener) -> listener.nodeSkipped(path, reason));
	}

	private void connectionChanged(ConnectionState newState) {
		if (this.state.get() != State.STARTED) {
			return;
		}
		Connection next = switch (newState) {
			case CONNECTED, RECONNECTED, READ_ONLY -> Connection.CONNECTED;
			case SUSPENDED -> Connection.SUSPENDED;
			case LOST -> Connection.LOST;
		};
		Connection previous = this.connection;
		this.connection = next;
		if (next == Connection.CONNECTED) {
			Instant since = this.disconnectedSince;
			this.disconnectedSince = null;
			if (since != null) {
				logger.info("Reconnected to ZooKeeper after {}; catching up on bindings",
						Duration.between(since, this.clock.instant()));
			}
		}
		else {
			if (this.disconnectedSince == null) {
				this.disconnectedSince = this.clock.instant();
			}
			if (previous != next) {
				logger.warn("Connection to ZooKeeper {}; serving the last {} of bindings until it is back",
						(next == Connection.SUSPENDED) ? "suspended" : "lost", this.initialized ? "view" : "(empty) view");
			}
		}
		notifyListeners((listener) -> listener.connectionChanged(next));
	}

	private void cacheFailed(Exception ex) {
		if (ex instanceof KeeperException keeperException) {
			// Connection trouble shows up as a connection state change too, and the cache
			// rebuilds on reconnect: no stack trace needed.
			logger.warn("Could not read bindings under {}: {}", this.paths.root(), keeperException.code());
		}
		else {
			logger.warn("Could not read bindings under {}", this.paths.root(), ex);
		}
	}

	private void notifyListeners(Consumer<BindingsListener> call) {
		for (BindingsListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Bindings listener {} failed", listener, ex);
			}
		}
	}

	private record Entry(Object binding, long zxid) {
	}

	/** The cache of one followed subtree, and whether it has loaded. */
	private record Followed(CuratorCache cache, CountDownLatch loaded) {
	}

	/**
	 * The generation of each service whose bindings changed since the last load of the whole
	 * tree, and that load's generation for all others.
	 */
	private record Generations(HashTrie<String, Long> services, long base) {

		static final Generations NONE = new Generations(HashTrie.empty(), 0);

	}

}
