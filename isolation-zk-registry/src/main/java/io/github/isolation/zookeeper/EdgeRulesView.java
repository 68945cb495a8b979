package io.github.isolation.zookeeper;

import java.io.Closeable;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.cache.CuratorCacheStorage;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.isolation.core.LogSafe;
import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.EdgeRules;
import io.github.isolation.core.rules.RuleValidationException;

/**
 * The edge rules under {@code {root}/rules/edge}, held in memory and kept up to date through
 * Curator's {@link CuratorCache}: what the edge evaluates. {@link #rules()} answers from an
 * immutable {@link EdgeRules} held in memory and never waits for ZooKeeper; each change of a
 * rule node makes a new one, which replaces the old atomically.
 *
 * <p><b>An invalid node changes nothing.</b> A node whose data is not a valid rule (see
 * {@link EdgeRuleJson}), or whose rule's id is not the node's name, is not applied: the view
 * keeps the last valid version of that rule if it had one, and otherwise has no rule of that
 * name. Each invalid version is counted ({@link #invalidVersions()}) and logged once, with the
 * field that is wrong; {@link #invalid()} says which nodes are invalid now. Deleting the node
 * removes the rule.
 *
 * <p><b>When ZooKeeper is unreachable</b> the view keeps the last rules it saw; when the
 * connection comes back, Curator reads the rules again and the view catches up. A view started
 * while ZooKeeper is down has no rules until the first load.
 *
 * <p>The lifecycle is that of Curator's recipes: {@link #start()} once, {@link #close()} any
 * number of times. The client is the caller's, started; it is never closed here.
 *
 * @since 0.1.0
 */
public final class EdgeRulesView implements Closeable {

	private static final Logger logger = LoggerFactory.getLogger(EdgeRulesView.class);

	private enum State {

		LATENT, STARTED, CLOSED

	}

	private final BindingPaths paths;

	private final CuratorCache cache;

	private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

	private final AtomicReference<EdgeRules> rules = new AtomicReference<>(EdgeRules.NONE);

	private final CopyOnWriteArrayList<Consumer<EdgeRules>> listeners = new CopyOnWriteArrayList<>();

	private final CountDownLatch initializedLatch = new CountDownLatch(1);

	private final AtomicLong invalidVersions = new AtomicLong();

	// Guarded by itself: the last valid rule of each node.
	private final Map<String, EdgeRule> valid = new HashMap<>();

	// Guarded by valid: node name -> why its current version is invalid.
	private final Map<String, String> invalid = new LinkedHashMap<>();

	// Guarded by valid: node name -> modification zxid of the invalid version already counted.
	private final Map<String, Long> counted = new HashMap<>();

	/**
	 * A view of the rules under a root.
	 * @param client a started client
	 * @param paths the layout
	 */
	public EdgeRulesView(CuratorFramework client, BindingPaths paths) {
		Objects.requireNonNull(client, "client must not be null");
		this.paths = Objects.requireNonNull(paths, "paths must not be null");
		this.cache = CuratorCache.builder(client, paths.edgeRulesPath())
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
			throw new IllegalStateException("EdgeRulesView can be started only once");
		}
		this.cache.listenable()
			.addListener(CuratorCacheListener.builder().forAll(this::nodeChanged).forInitialized(this::loaded).build());
		this.cache.start();
	}

	/**
	 * Stops following ZooKeeper; the last rules stay. Idempotent.
	 */
	@Override
	public void close() {
		if (this.state.getAndSet(State.CLOSED) == State.STARTED) {
			this.cache.close();
		}
	}

	/**
	 * The rules in force.
	 * @return the rules, {@link EdgeRules#NONE} before the first load
	 */
	public EdgeRules rules() {
		return this.rules.get();
	}

	/**
	 * Whether the first load is done.
	 * @return {@code true} once the rules in ZooKeeper have been read
	 */
	public boolean isInitialized() {
		return this.initializedLatch.getCount() == 0;
	}

	/**
	 * Waits for the first load.
	 * @param timeout how long to wait at most
	 * @return {@code true} if loaded
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitInitialized(Duration timeout) throws InterruptedException {
		return this.initializedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * How many invalid node versions the view has seen and not applied.
	 * @return the count, each version counted once
	 */
	public long invalidVersions() {
		return this.invalidVersions.get();
	}

	/**
	 * The nodes whose current version is not a valid rule.
	 * @return node name to the problem
	 */
	public Map<String, String> invalid() {
		synchronized (this.valid) {
			return Map.copyOf(this.invalid);
		}
	}

	/**
	 * Adds a listener, told the new rules after each change, on the cache's thread. A listener
	 * that throws is logged and does not stop the others.
	 * @param listener the listener
	 */
	public void addListener(Consumer<EdgeRules> listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	public void removeListener(Consumer<EdgeRules> listener) {
		this.listeners.remove(listener);
	}

	private void nodeChanged(CuratorCacheListener.Type type, ChildData before, ChildData after) {
		ChildData node = (after != null) ? after : before;
		String path = node.getPath();
		if (!this.paths.edgeRulesPath().equals(ZKPaths.getPathAndNode(path).getPath())) {
			// The parent itself, or something below a rule: neither is a rule.
			return;
		}
		String name = ZKPaths.getNodeFromPath(path);
		EdgeRules published;
		synchronized (this.valid) {
			if (type == CuratorCacheListener.Type.NODE_DELETED) {
				boolean changed = this.valid.remove(name) != null;
				this.invalid.remove(name);
				this.counted.remove(name);
				if (!changed) {
					return;
				}
			}
			else {
				EdgeRule rule;
				try {
					rule = EdgeRuleStore.parse(name, after.getData());
				}
				catch (RuleValidationException ex) {
					rejected(name, after, ex);
					return;
				}
				this.invalid.remove(name);
				this.counted.remove(name);
				if (rule.equals(this.valid.put(name, rule))) {
					return;
				}
			}
			published = new EdgeRules(this.valid.values());
			this.rules.set(published);
		}
		logger.debug("Edge rules changed ({} {}): {} rules", type, LogSafe.quote(name), published.size());
		for (Consumer<EdgeRules> listener : this.listeners) {
			try {
				listener.accept(published);
			}
			catch (RuntimeException ex) {
				logger.warn("An edge rules listener failed", ex);
			}
		}
	}

	// Guarded by valid.
	private void rejected(String name, ChildData node, RuleValidationException ex) {
		long version = (node.getStat() != null) ? node.getStat().getMzxid() : -1;
		this.invalid.put(name, ex.getMessage());
		Long seen = this.counted.put(name, version);
		if (seen != null && seen == version) {
			return;
		}
		this.invalidVersions.incrementAndGet();
		EdgeRule kept = this.valid.get(name);
		logger.warn("Ignoring the edge rule node {}: {}; {}", LogSafe.quote(ZKPaths.makePath(this.paths.edgeRulesPath(),
				name)), ex.getMessage(), (kept != null) ? "keeping its last valid version" : "there is no rule of that name");
	}

	private void loaded() {
		this.initializedLatch.countDown();
		logger.info("Loaded {} edge rules from {}", this.rules.get().size(), this.paths.edgeRulesPath());
	}

	private void cacheFailed(Exception ex) {
		if (ex instanceof KeeperException keeperException) {
			logger.warn("Could not read edge rules under {}: {}", this.paths.edgeRulesPath(), keeperException.code());
		}
		else {
			logger.warn("Could not read edge rules under {}", this.paths.edgeRulesPath(), ex);
		}
	}

}
