package io.github.isolation.console;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.zookeeper.BindingsListener;
import io.github.isolation.zookeeper.BindingsSnapshot;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.zookeeper.InstanceBinding;
import io.github.isolation.zookeeper.SourceBinding;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Joins discovery and the bindings into one {@link Environment}, on a thread of its own: pages
 * read the latest one from memory and never wait for ZooKeeper or discovery.
 *
 * <p>Discovery is read every {@code refreshInterval} (a {@link DiscoveryClient} has no change
 * events), and at once when the bindings change. An instance that leaves discovery stays in
 * the matrix as down for {@code goneRetention}, so that a stopped instance is seen stopped
 * rather than silently missing; a persistent binding of an instance that discovery does not
 * list is shown as down too. When discovery fails, the last instances it listed are kept and
 * the failure is shown.
 *
 * @since 0.1.0
 */
public class EnvironmentMonitor implements Closeable {

	private static final Logger logger = LoggerFactory.getLogger(EnvironmentMonitor.class);

	/** Skipped nodes kept at most: a flood of malformed nodes must not fill the console's memory. */
	static final int MAX_SKIPPED = 200;

	/** Bytes of a skipped node's data kept for display. */
	private static final int MAX_SKIPPED_DATA = 512;

	private final DiscoveryClient discoveryClient;

	private final BindingsView bindingsView;

	private final CuratorFramework client;

	private final Duration goneRetention;

	private final Clock clock;

	private final ScheduledExecutorService executor;

	private final AtomicReference<Environment> current = new AtomicReference<>(Environment.EMPTY);

	private final AtomicBoolean refreshQueued = new AtomicBoolean();

	/** Instances seen in discovery, by key; touched only on the executor's thread. */
	private final Map<String, Seen> seen = new HashMap<>();

	private final Map<String, SkippedNode> skipped = new ConcurrentHashMap<>();

	private Map<String, List<ServiceInstance>> lastDiscovered = Map.of();

	/**
	 * @param discoveryClient where instances come from
	 * @param bindingsView the bindings, started by the caller
	 * @param client the ZooKeeper client, to read the data of skipped nodes
	 * @param refreshInterval how often discovery is read
	 * @param goneRetention how long a stopped instance is shown as down
	 * @param clock the clock
	 */
	public EnvironmentMonitor(DiscoveryClient discoveryClient, BindingsView bindingsView, CuratorFramework client,
			Duration refreshInterval, Duration goneRetention, Clock clock) {
		if (refreshInterval.isNegative() || refreshInterval.isZero()) {
			throw new IllegalArgumentException(
					"isolation.console.refresh-interval must be positive, but was " + refreshInterval);
		}
		this.discoveryClient = discoveryClient;
		this.bindingsView = bindingsView;
		this.client = client;
		this.goneRetention = goneRetention;
		this.clock = clock;
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "isolation-console-monitor");
			thread.setDaemon(true);
			return thread;
		});
		bindingsView.addListener(new BindingsListener() {

			@Override
			public void bindingsChanged(BindingsSnapshot snapshot) {
				refreshSoon();
			}

			@Override
			public void nodeSkipped(String path, String reason) {
				skippedNode(path, reason);
			}

			@Override
			public void connectionChanged(BindingsView.Connection connection) {
				refreshSoon();
			}

		});
		this.executor.scheduleWithFixedDelay(this::refreshQuietly, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * @return the latest environment
	 */
	public Environment environment() {
		return this.current.get();
	}

	/**
	 * Reads discovery again as soon as the monitor's thread is free, for example after a write.
	 */
	public void refreshSoon() {
		if (this.refreshQueued.compareAndSet(false, true)) {
			this.executor.execute(() -> {
				this.refreshQueued.set(false);
				refreshQuietly();
			});
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	private void skippedNode(String path, String reason) {
		if (this.skipped.size() >= MAX_SKIPPED && !this.skipped.containsKey(path)) {
			return;
		}
		this.skipped.put(path, new SkippedNode(path, reason, "", -1));
		// In the background: a listener must not block the view's event thread on ZooKeeper.
		try {
			this.client.getData().inBackground((client, event) -> {
				byte[] data = event.getData();
				if (data != null) {
					String text = new String(data, 0, Math.min(data.length, MAX_SKIPPED_DATA), StandardCharsets.UTF_8);
					this.skipped.computeIfPresent(path, (key, node) -> new SkippedNode(path, reason, text, data.length));
				}
				refreshSoon();
			}).forPath(path);
		}
		catch (Exception ex) {
			logger.debug("Could not read a skipped node's data", ex);
		}
	}

	private void refreshQuietly() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			// The next round tries again; the page keeps the last environment meanwhile.
			logger.warn("Could not refresh the environment: {}", ex.toString());
		}
	}

	private void refresh() {
		Instant now = this.clock.instant();
		String discoveryProblem = null;
		Map<String, List<ServiceInstance>> discovered = new TreeMap<>();
		try {
			for (String serviceId : this.discoveryClient.getServices()) {
				discovered.put(serviceId, this.discoveryClient.getInstances(serviceId));
			}
			this.lastDiscovered = discovered;
		}
		catch (RuntimeException ex) {
			discoveryProblem = "Discovery could not be read (" + ex.getClass().getSimpleName()
					+ "); showing the instances it listed last";
			discovered = new TreeMap<>(this.lastDiscovered);
		}
		forgetRemovedSkippedNodes();
		BindingsSnapshot bindings = this.bindingsView.snapshot();
		Map<String, InstanceState> states = new LinkedHashMap<>();
		for (Map.Entry<String, List<ServiceInstance>> service : discovered.entrySet()) {
			for (ServiceInstance instance : service.getValue()) {
				InstanceState state = resolve(service.getKey(), instance, bindings);
				states.put(state.key(), state);
				this.seen.put(state.key(), new Seen(state, now));
			}
		}
		// Instances that left discovery: down for a while, with the group they had.
		this.seen.entrySet().removeIf((entry) -> {
			if (states.containsKey(entry.getKey())) {
				return false;
			}
			Seen last = entry.getValue();
			if (last.leftAt == null) {
				last.leftAt = now;
			}
			if (Duration.between(last.leftAt, now).compareTo(this.goneRetention) > 0) {
				return true;
			}
			InstanceState was = last.state;
			Optional<InstanceBinding> binding = bindings.instanceBinding(was.serviceId(), was.host(), was.port());
			IsolationGroup group = binding.map(InstanceBinding::group).orElse(was.group());
			states.put(entry.getKey(), new InstanceState(was.serviceId(), was.host(), was.port(), group,
					binding.map(EnvironmentMonitor::sourceOf).orElse(was.source()), false, last.leftAt));
			return false;
		});
		// Bindings of instances discovery does not list: bound, but not running.
		for (InstanceBinding binding : bindings.instanceBindings()) {
			InstanceState state = new InstanceState(binding.serviceId(), binding.address().host(),
					binding.address().port(), binding.group(), sourceOf(binding), false, null);
			states.putIfAbsent(state.key(), state);
		}
		Map<String, IsolationGroup> sources = new TreeMap<>();
		for (SourceBinding source : bindings.sourceBindings()) {
			sources.put(source.address(), source.group());
		}
		publish(now, states, sources, discoveryProblem);
	}

	/** The view says when a node is skipped, not when it goes: ask ZooKeeper, on this thread. */
	private void forgetRemovedSkippedNodes() {
		for (String path : List.copyOf(this.skipped.keySet())) {
			try {
				if (this.client.checkExists().forPath(path) == null) {
					this.skipped.remove(path);
				}
			}
			catch (Exception ex) {
				// ZooKeeper unreachable: keep showing the node until it can tell.
				return;
			}
		}
	}

	private void publish(Instant now, Map<String, InstanceState> states, Map<String, IsolationGroup> sources,
			String discoveryProblem) {
		TreeSet<IsolationGroup> groups = new TreeSet<>(
				Comparator.comparing((IsolationGroup group) -> !group.isStable()).thenComparing(IsolationGroup::name));
		groups.add(IsolationGroup.STABLE);
		groups.addAll(sources.values());
		Map<String, Map<IsolationGroup, List<InstanceState>>> cells = new TreeMap<>();
		List<InstanceState> sorted = new ArrayList<>(states.values());
		sorted.sort(Comparator.comparing(InstanceState::host).thenComparingInt(InstanceState::port));
		for (InstanceState state : sorted) {
			groups.add(state.group());
			cells.computeIfAbsent(state.serviceId(), (key) -> new HashMap<>())
				.computeIfAbsent(state.group(), (key) -> new ArrayList<>())
				.add(state);
		}
		List<SkippedNode> skippedNodes = new ArrayList<>(this.skipped.values());
		skippedNodes.sort(Comparator.comparing(SkippedNode::path));
		Environment previous = this.current.get();
		Environment next = new Environment(previous.version(), now, List.copyOf(cells.keySet()), List.copyOf(groups),
				cells, sources, List.copyOf(skippedNodes), this.bindingsView.connection().name(), discoveryProblem);
		if (!next.sameContent(previous)) {
			next = new Environment(previous.version() + 1, now, next.services(), next.groups(), next.cells(),
					next.sourceBindings(), next.skipped(), next.zookeeper(), next.discoveryProblem());
		}
		this.current.set(next);
	}

	private static InstanceState resolve(String serviceId, ServiceInstance instance, BindingsSnapshot bindings) {
		Optional<InstanceBinding> binding = bindings.instanceBinding(serviceId, instance.getHost(), instance.getPort());
		if (binding.isPresent()) {
			return new InstanceState(serviceId, instance.getHost(), instance.getPort(), binding.get().group(),
					sourceOf(binding.get()), true, null);
		}
		Map<String, String> metadata = instance.getMetadata();
		String declared = (metadata != null) ? metadata.get(IsolationTags.METADATA_GROUP) : null;
		Optional<IsolationGroup> group = (declared != null) ? IsolationGroup.parse(declared) : Optional.empty();
		return group
			.map((value) -> new InstanceState(serviceId, instance.getHost(), instance.getPort(), value,
					GroupSource.METADATA, true, null))
			.orElseGet(() -> new InstanceState(serviceId, instance.getHost(), instance.getPort(),
					IsolationGroup.STABLE, GroupSource.DEFAULT, true, null));
	}

	private static GroupSource sourceOf(InstanceBinding binding) {
		return binding.ephemeral() ? GroupSource.SELF_BINDING : GroupSource.OPERATOR_BINDING;
	}

	private static final class Seen {

		final InstanceState state;

		Instant leftAt;

		Seen(InstanceState state, Instant now) {
			this.state = state;
		}

	}

}
