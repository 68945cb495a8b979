package io.github.isolation.kafka.lanes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import io.github.isolation.core.LaneSpans;
import io.github.isolation.zookeeper.BindingPaths;

/**
 * Where each lane is open, per partition ({@link LaneSpans}), kept in ZooKeeper and held in
 * memory: {@code {root}/kafka/{serviceId}/{C}/{T}/{G}/{partition}}, its data the offsets at which
 * the lane opened and closed, in decimal, separated by spaces. A lane opens once per listener
 * group {@code C}, topic {@code T} and group {@code G}, for every partition of the topic at once
 * (one ZooKeeper transaction), at the partitions' end offsets: records of {@code G} below go to
 * the stable consumers, at or above to the lane group. The nodes are persistent: the split holds
 * when every instance has gone.
 *
 * <p>A lane whose group has had no live consumer for a while retires: a standby asks for it with
 * the node {@code {C}/{T}/{G}/retiring}, and the stable consumer that owns a partition closes the
 * lane there ({@link #closeAt}) at the first record it meets, so that it has skipped none of the
 * group's records from there on. A consumer of the lane's group that starts opens it again
 * ({@link #open}) on every partition where it closed, at the end offsets, and takes the request
 * back. Each change is one transaction, checked against the versions it read.
 *
 * <p>Readers ({@link #spans}) answer from memory, kept by a {@link CuratorCache}, and keep the
 * last known spans while ZooKeeper is unreachable. Only opening and closing go to ZooKeeper, on
 * the consumer's own thread.
 *
 * @since 0.1.0
 */
public class LaneWatermarks implements AutoCloseable {

	private static final String RETIRING = BindingPaths.KAFKA_LANE_RETIRING;

	private static final Log logger = LogFactory.getLog(LaneWatermarks.class);

	private enum State {
		LATENT, STARTED, CLOSED
	}

	private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

	private final CuratorFramework client;

	private final String servicePath;

	private final CuratorCache cache;

	// Path of a partition's node -> the lane's spans there.
	private final Map<String, LaneSpans> spans = new ConcurrentHashMap<>();

	// Path of a lane asked to retire -> System.nanoTime() when this instance learnt of it.
	private final Map<String, Long> retiring = new ConcurrentHashMap<>();

	private final List<Consumer<String>> laneListeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates the store; {@link #start()} begins to follow ZooKeeper.
	 * @param client a started Curator client
	 * @param root the isolation root, e.g. {@code /isolation}
	 * @param serviceId the service whose listeners these are
	 */
	public LaneWatermarks(CuratorFramework client, String root, String serviceId) {
		this.client = client;
		this.servicePath = ("/".equals(root) ? "" : root) + "/" + BindingPaths.KAFKA + "/" + segment(serviceId);
		this.cache = CuratorCache.build(client, this.servicePath);
		this.cache.listenable().addListener(CuratorCacheListener.builder()
			.forCreatesAndChanges((before, node) -> remember(node))
			.forDeletes(this::forget)
			.build());
	}

	/** Follows ZooKeeper from now on. */
	public void start() {
		if (this.state.compareAndSet(State.LATENT, State.STARTED)) {
			this.cache.start();
		}
	}

	@Override
	public void close() {
		if (this.state.getAndSet(State.CLOSED) == State.STARTED) {
			this.cache.close();
		}
	}

	/**
	 * Called with the lane path {@code C/T/G} (unencoded names joined by {@code /}) of each lane
	 * whose spans or retirement change.
	 * @param listener told on Curator's thread; must not block
	 */
	public void onLaneKnown(Consumer<String> listener) {
		this.laneListeners.add(listener);
	}

	/**
	 * Where the lane of {@code group} is open on a partition, from memory.
	 * @param consumerGroup the listener's own group {@code C}
	 * @param topic the topic
	 * @param group the lane's group
	 * @param partition the partition
	 * @return the spans, or {@code null} when no lane is known there
	 */
	public LaneSpans spans(String consumerGroup, String topic, String group, int partition) {
		return this.spans.get(partitionPath(consumerGroup, topic, group, partition));
	}

	/**
	 * The offset at which the lane of {@code group} opened last on a partition, from memory.
	 * @param consumerGroup the listener's own group {@code C}
	 * @param topic the topic
	 * @param group the lane's group
	 * @param partition the partition
	 * @return the offset, or {@code null} when no lane is known there
	 */
	public Long openedAt(String consumerGroup, String topic, String group, int partition) {
		LaneSpans known = spans(consumerGroup, topic, group, partition);
		return (known != null) ? known.lastOpening() : null;
	}

	/**
	 * Whether a lane has been asked to retire, from memory.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @param group the lane's group
	 * @return whether its {@code retiring} node is known
	 */
	public boolean isRetiring(String consumerGroup, String topic, String group) {
		// Asked per record of an open lane: no path to build while nothing retires.
		return !this.retiring.isEmpty() && this.retiring.containsKey(lanePath(consumerGroup, topic, group));
	}

	/**
	 * How long ago this instance learnt, from ZooKeeper's watch, that a lane was asked to retire.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @param group the lane's group
	 * @return the time, or {@code null} when it is not retiring
	 */
	public Duration retiringFor(String consumerGroup, String topic, String group) {
		Long since = this.retiring.get(lanePath(consumerGroup, topic, group));
		return (since != null) ? Duration.ofNanos(System.nanoTime() - since) : null;
	}

	/**
	 * The groups with a lane known for a listener's group and topic, open or closed, from memory.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @return the group names
	 */
	public Set<String> lanes(String consumerGroup, String topic) {
		return lanes(consumerGroup, topic, (spans) -> true);
	}

	/**
	 * The groups whose lane is open on at least one partition of a topic, from memory.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @return the group names
	 */
	public Set<String> openLanes(String consumerGroup, String topic) {
		return lanes(consumerGroup, topic, LaneSpans::isOpen);
	}

	/**
	 * Whether a lane is open on at least one partition, from memory.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @param group the lane's group
	 * @return whether it is known and open somewhere
	 */
	public boolean isOpen(String consumerGroup, String topic, String group) {
		return Boolean.TRUE.equals(openAnywhere(consumerGroup, topic, group));
	}

	/**
	 * Whether a lane is known and closed on every partition, from memory.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @param group the lane's group
	 * @return whether it is known and open nowhere
	 */
	public boolean isClosed(String consumerGroup, String topic, String group) {
		return Boolean.FALSE.equals(openAnywhere(consumerGroup, topic, group));
	}

	// Whether the lane is open on some partition; null when no partition of it is known.
	private Boolean openAnywhere(String consumerGroup, String topic, String group) {
		String prefix = lanePath(consumerGroup, topic, group) + "/";
		Boolean open = null;
		for (Map.Entry<String, LaneSpans> entry : this.spans.entrySet()) {
			if (entry.getKey().startsWith(prefix)) {
				if (entry.getValue().isOpen()) {
					return true;
				}
				open = false;
			}
		}
		return open;
	}

	private Set<String> lanes(String consumerGroup, String topic, Predicate<LaneSpans> which) {
		String prefix = topicPath(consumerGroup, topic) + "/";
		Set<String> groups = new TreeSet<>();
		this.spans.forEach((path, known) -> {
			if (path.startsWith(prefix) && which.test(known)) {
				String rest = path.substring(prefix.length());
				groups.add(decode(rest.substring(0, rest.indexOf('/'))));
			}
		});
		return groups;
	}

	/**
	 * Whether ZooKeeper can be reached now, so that opening or closing need not wait for it.
	 * @return whether the client is connected
	 */
	public boolean isConnected() {
		return this.client.getZookeeperClient().isConnected();
	}

	/**
	 * Where a lane is open on every partition of a topic, opening it first at the given offsets
	 * when it has never opened. A standby's way in: it never opens a closed lane again. Blocks on
	 * ZooKeeper: call it on a consumer's own thread, never on a request's.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @param group the lane's group
	 * @param endOffsets the offsets to open the lane at, by partition, asked only when it opens here
	 * @return the spans by partition
	 * @throws Exception when ZooKeeper cannot be read or written
	 */
	public Map<Integer, LaneSpans> openOrRead(String consumerGroup, String topic, String group,
			Supplier<Map<Integer, Long>> endOffsets) throws Exception {
		return open(consumerGroup, topic, group, endOffsets, false);
	}

	/**
	 * Opens a lane on every partition of a topic: where it has never opened, or opens it again
	 * where it closed, at the given offsets, and takes back a request to retire it. A consumer of
	 * the lane's own group's way in. Blocks on ZooKeeper: call it on a consumer's own thread.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @param group the lane's group
	 * @param offsets the offsets to open the lane at, by partition, asked only when it opens here
	 * @return the spans by partition
	 * @throws Exception when ZooKeeper cannot be read or written
	 */
	public Map<Integer, LaneSpans> open(String consumerGroup, String topic, String group,
			Supplier<Map<Integer, Long>> offsets) throws Exception {
		return open(consumerGroup, topic, group, offsets, true);
	}

	private Map<Integer, LaneSpans> open(String consumerGroup, String topic, String group,
			Supplier<Map<Integer, Long>> offsets, boolean reopen) throws Exception {
		String lanePath = lanePath(consumerGroup, topic, group);
		while (true) {
			if (this.client.checkExists().forPath(lanePath) == null) {
				Map<Integer, Long> at = new TreeMap<>(offsets.get());
				this.client.createContainers(topicPath(consumerGroup, topic));
				List<CuratorOp> ops = new ArrayList<>();
				ops.add(this.client.transactionOp().create().forPath(lanePath));
				Map<Integer, LaneSpans> opened = new TreeMap<>();
				for (Map.Entry<Integer, Long> entry : at.entrySet()) {
					LaneSpans spans = LaneSpans.openedAt(entry.getValue());
					opened.put(entry.getKey(), spans);
					ops.add(this.client.transactionOp().create().forPath(lanePath + "/" + entry.getKey(), bytes(spans)));
				}
				try {
					this.client.transaction().forOperations(ops);
					logger.info("Opened the lane of group '" + group + "' for consumer group '" + consumerGroup
							+ "' on topic '" + topic + "' at offsets " + at + ": records of '" + group
							+ "' below go to stable consumers, at or above to the lane");
					return known(lanePath, opened);
				}
				catch (KeeperException.NodeExistsException ex) {
					// Another instance opened it first: read what it wrote.
					continue;
				}
			}
			Stat retiringStat = this.client.checkExists().forPath(lanePath + "/" + RETIRING);
			Map<Integer, LaneSpans> read = new TreeMap<>();
			Map<Integer, Integer> versions = new TreeMap<>();
			for (String child : this.client.getChildren().forPath(lanePath)) {
				if (RETIRING.equals(child)) {
					continue;
				}
				Stat stat = new Stat();
				byte[] data = this.client.getData().storingStatIn(stat).forPath(lanePath + "/" + child);
				try {
					read.put(Integer.parseInt(child), LaneSpans.parse(new String(data, StandardCharsets.UTF_8)));
					versions.put(Integer.parseInt(child), stat.getVersion());
				}
				catch (IllegalArgumentException | NullPointerException ex) {
					// Written behind the lanes' back: ignored here as by the cache, rather than stop the consumer.
					logger.warn("Ignoring lane node " + lanePath + "/" + child + ": its name must be a partition and its"
							+ " data offsets separated by spaces");
				}
			}
			boolean closed = read.values().stream().anyMatch((spans) -> !spans.isOpen());
			if (!reopen || (!closed && retiringStat == null)) {
				return known(lanePath, read);
			}
			Map<Integer, Long> at = offsets.get();
			List<CuratorOp> ops = new ArrayList<>();
			Map<Integer, LaneSpans> reopened = new TreeMap<>();
			for (Map.Entry<Integer, LaneSpans> entry : read.entrySet()) {
				String path = lanePath + "/" + entry.getKey();
				int version = versions.get(entry.getKey());
				LaneSpans spans = entry.getValue();
				Long offset = at.get(entry.getKey());
				if (!spans.isOpen() && offset != null) {
					spans = spans.reopenedAt(offset);
					ops.add(this.client.transactionOp().setData().withVersion(version).forPath(path, bytes(spans)));
				}
				else {
					// Unchanged only if nobody closes it meanwhile.
					ops.add(this.client.transactionOp().check().withVersion(version).forPath(path));
				}
				reopened.put(entry.getKey(), spans);
			}
			if (retiringStat != null) {
				ops.add(this.client.transactionOp().delete().withVersion(retiringStat.getVersion())
					.forPath(lanePath + "/" + RETIRING));
			}
			try {
				this.client.transaction().forOperations(ops);
				this.retiring.remove(lanePath);
				logger.info("Opened the lane of group '" + group + "' for consumer group '" + consumerGroup
						+ "' on topic '" + topic + "' again: " + reopened);
				return known(lanePath, reopened);
			}
			catch (KeeperException.BadVersionException | KeeperException.NoNodeException ex) {
				// A stable consumer closed a partition, or a standby asked again, meanwhile: read again.
			}
		}
	}

	/**
	 * Asks for a lane to close, on every partition, where its stable consumers are.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @param group the lane's group
	 * @throws Exception when ZooKeeper cannot be written
	 */
	public void retire(String consumerGroup, String topic, String group) throws Exception {
		String lanePath = lanePath(consumerGroup, topic, group);
		try {
			this.client.create().forPath(lanePath + "/" + RETIRING);
			logger.info("Asked the lane of group '" + group + "' for consumer group '" + consumerGroup
					+ "' on topic '" + topic + "' to close: the group has had no live consumer for a while");
		}
		catch (KeeperException.NodeExistsException ex) {
			// Asked already.
		}
	}

	/**
	 * Closes a lane that was asked to retire on a partition at an offset: called by the stable
	 * consumer that owns the partition, with the offset of a record it has not decided on yet, so
	 * that the records of the lane's group it skipped are all below the closing.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @param group the lane's group
	 * @param partition the partition
	 * @param offset where stable takes the group's records back
	 * @return the spans there now: closed, or still open when the request was taken back
	 * @throws Exception when ZooKeeper cannot be read or written
	 */
	public LaneSpans closeAt(String consumerGroup, String topic, String group, int partition, long offset)
			throws Exception {
		String lanePath = lanePath(consumerGroup, topic, group);
		String path = lanePath + "/" + partition;
		while (true) {
			Stat stat = new Stat();
			LaneSpans spans = LaneSpans
				.parse(new String(this.client.getData().storingStatIn(stat).forPath(path), StandardCharsets.UTF_8));
			if (!spans.isOpen()) {
				return known(path, spans);
			}
			LaneSpans closed = spans.closedAt(offset);
			try {
				this.client.transaction()
					.forOperations(this.client.transactionOp().check().forPath(lanePath + "/" + RETIRING),
							this.client.transactionOp().setData().withVersion(stat.getVersion()).forPath(path,
									bytes(closed)));
				logger.info("Closed the lane of group '" + group + "' for consumer group '" + consumerGroup
						+ "' on " + topic + "-" + partition + " at offset " + closed.lastClosing() + ": records of '"
						+ group + "' from there on go to stable consumers");
				return known(path, closed);
			}
			catch (KeeperException.NoNodeException ex) {
				// Opened again: the request is gone.
				this.retiring.remove(lanePath);
				return known(path, spans);
			}
			catch (KeeperException.BadVersionException ex) {
				// Changed meanwhile: read again.
			}
		}
	}

	// Known here at once: the cache learns them a little later, from ZooKeeper's watch.
	private Map<Integer, LaneSpans> known(String lanePath, Map<Integer, LaneSpans> spans) {
		spans.forEach((partition, known) -> this.spans.put(lanePath + "/" + partition, known));
		return spans;
	}

	private LaneSpans known(String path, LaneSpans spans) {
		this.spans.put(path, spans);
		return spans;
	}

	private void remember(ChildData node) {
		String[] parts = laneParts(node.getPath());
		if (parts == null) {
			return;
		}
		if (RETIRING.equals(parts[3])) {
			this.retiring.putIfAbsent(node.getPath().substring(0, node.getPath().lastIndexOf('/')), System.nanoTime());
		}
		else {
			try {
				Integer.parseInt(parts[3]);
				this.spans.put(node.getPath(), LaneSpans.parse(new String(node.getData(), StandardCharsets.UTF_8)));
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				logger.warn("Ignoring lane node " + node.getPath() + ": its name must be a partition and its data"
						+ " offsets separated by spaces");
				return;
			}
		}
		tellListeners(parts);
	}

	private void forget(ChildData node) {
		String[] parts = laneParts(node.getPath());
		if (parts == null) {
			return;
		}
		if (RETIRING.equals(parts[3])) {
			this.retiring.remove(node.getPath().substring(0, node.getPath().lastIndexOf('/')));
		}
		else {
			this.spans.remove(node.getPath());
		}
		tellListeners(parts);
	}

	// C/T/G/partition, or C/T/G/retiring; null for any other node.
	private String[] laneParts(String path) {
		if (!path.startsWith(this.servicePath + "/")) {
			return null;
		}
		String[] parts = path.substring(this.servicePath.length() + 1).split("/");
		return (parts.length == 4) ? parts : null;
	}

	private void tellListeners(String[] parts) {
		String lane = decode(parts[0]) + "/" + decode(parts[1]) + "/" + decode(parts[2]);
		for (Consumer<String> listener : this.laneListeners) {
			try {
				listener.accept(lane);
			}
			catch (RuntimeException ex) {
				logger.warn("A lane listener failed for " + lane, ex);
			}
		}
	}

	private static byte[] bytes(LaneSpans spans) {
		return spans.toString().getBytes(StandardCharsets.UTF_8);
	}

	private String lanePath(String consumerGroup, String topic, String group) {
		return topicPath(consumerGroup, topic) + "/" + segment(group);
	}

	private String topicPath(String consumerGroup, String topic) {
		return this.servicePath + "/" + segment(consumerGroup) + "/" + segment(topic);
	}

	private String partitionPath(String consumerGroup, String topic, String group, int partition) {
		return lanePath(consumerGroup, topic, group) + "/" + partition;
	}

	// A consumer group id may hold any character; a ZooKeeper node name may not hold '/'.
	private static String segment(String name) {
		return URLEncoder.encode(name, StandardCharsets.UTF_8);
	}

	private static String decode(String segment) {
		return java.net.URLDecoder.decode(segment, StandardCharsets.UTF_8);
	}

}
