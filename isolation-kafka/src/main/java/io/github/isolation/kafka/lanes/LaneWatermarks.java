package io.github.isolation.kafka.lanes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;

import io.github.isolation.zookeeper.BindingPaths;

/**
 * The offsets at which each lane opened, per partition, kept in ZooKeeper and held in memory:
 * {@code {root}/kafka/{serviceId}/{C}/{T}/{G}/{partition}}, its data the offset in decimal. A
 * lane opens once per listener group {@code C}, topic {@code T} and group {@code G}, for every
 * partition of the topic at once (one ZooKeeper transaction), at the partitions' end offsets:
 * records of {@code G} below go to the stable consumers, records at or above to the lane group.
 * The nodes are persistent: the split holds when every instance has gone.
 *
 * <p>Readers ({@link #openedAt}) answer from memory, kept by a {@link CuratorCache}, and keep
 * the last known offsets while ZooKeeper is unreachable. Only opening a lane
 * ({@link #openOrRead}) goes to ZooKeeper, on the lane consumer's own thread.
 *
 * @since 0.1.0
 */
public class LaneWatermarks implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LaneWatermarks.class);

	private enum State {
		LATENT, STARTED, CLOSED
	}

	private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

	private final CuratorFramework client;

	private final String servicePath;

	private final CuratorCache cache;

	// Path of a partition's node -> the offset its lane opened at.
	private final Map<String, Long> opened = new ConcurrentHashMap<>();

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
			.forDeletes((node) -> this.opened.remove(node.getPath()))
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
	 * partition that becomes known.
	 * @param listener told on Curator's thread; must not block
	 */
	public void onLaneKnown(Consumer<String> listener) {
		this.laneListeners.add(listener);
	}

	/**
	 * The offset at which the lane of {@code group} opened on a partition, from memory.
	 * @param consumerGroup the listener's own group {@code C}
	 * @param topic the topic
	 * @param group the lane's group
	 * @param partition the partition
	 * @return the offset, or {@code null} when no lane is known there
	 */
	public Long openedAt(String consumerGroup, String topic, String group, int partition) {
		return this.opened.get(partitionPath(consumerGroup, topic, group, partition));
	}

	/**
	 * The groups with a lane known for a listener's group and topic, from memory.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @return the group names
	 */
	public Set<String> lanes(String consumerGroup, String topic) {
		String prefix = topicPath(consumerGroup, topic) + "/";
		Set<String> groups = new TreeSet<>();
		for (String path : this.opened.keySet()) {
			if (path.startsWith(prefix)) {
				String rest = path.substring(prefix.length());
				groups.add(rest.substring(0, rest.indexOf('/')));
			}
		}
		return groups;
	}

	/**
	 * Whether ZooKeeper can be reached now, so that {@link #openOrRead} need not wait for it.
	 * @return whether the client is connected
	 */
	public boolean isConnected() {
		return this.client.getZookeeperClient().isConnected();
	}

	/**
	 * The offsets at which a lane opened on every partition of a topic, opening it first at the
	 * given offsets (the end offsets, for a lane's consumer) when it has not opened yet. Blocks on ZooKeeper: call it on the lane consumer's
	 * own thread, never on a request's.
	 * @param consumerGroup the listener's own group
	 * @param topic the topic
	 * @param group the lane's group
	 * @param endOffsets the offsets to open the lane at, by partition, asked only when the lane
	 * opens here
	 * @return the offsets by partition
	 * @throws Exception when ZooKeeper cannot be read or written
	 */
	public Map<Integer, Long> openOrRead(String consumerGroup, String topic, String group,
			Supplier<Map<Integer, Long>> endOffsets) throws Exception {
		String lanePath = topicPath(consumerGroup, topic) + "/" + segment(group);
		if (this.client.checkExists().forPath(lanePath) == null) {
			Map<Integer, Long> offsets = new TreeMap<>(endOffsets.get());
			this.client.createContainers(topicPath(consumerGroup, topic));
			List<CuratorOp> ops = new ArrayList<>();
			ops.add(this.client.transactionOp().create().forPath(lanePath));
			offsets.forEach((partition, offset) -> {
				try {
					ops.add(this.client.transactionOp()
						.create()
						.forPath(lanePath + "/" + partition, Long.toString(offset).getBytes(StandardCharsets.UTF_8)));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			try {
				this.client.transaction().forOperations(ops);
				logger.info("Opened the lane of group '" + group + "' for consumer group '" + consumerGroup
						+ "' on topic '" + topic + "' at offsets " + offsets + ": records of '" + group
						+ "' below go to stable consumers, at or above to the lane");
				return known(consumerGroup, topic, group, offsets);
			}
			catch (KeeperException.NodeExistsException ex) {
				// Another instance of the lane opened it first: its offsets hold.
			}
		}
		Map<Integer, Long> offsets = new TreeMap<>();
		for (String child : this.client.getChildren().forPath(lanePath)) {
			byte[] data = this.client.getData().forPath(lanePath + "/" + child);
			offsets.put(Integer.parseInt(child), Long.parseLong(new String(data, StandardCharsets.UTF_8)));
		}
		return known(consumerGroup, topic, group, offsets);
	}

	// Known here at once: the cache learns them a little later, from ZooKeeper's watch.
	private Map<Integer, Long> known(String consumerGroup, String topic, String group, Map<Integer, Long> offsets) {
		offsets.forEach((partition, offset) -> this.opened.put(partitionPath(consumerGroup, topic, group, partition),
				offset));
		return offsets;
	}

	private void remember(ChildData node) {
		String path = node.getPath();
		if (!path.startsWith(this.servicePath + "/")) {
			return;
		}
		String[] parts = path.substring(this.servicePath.length() + 1).split("/");
		// C/T/G/partition
		if (parts.length != 4 || node.getData() == null) {
			return;
		}
		try {
			Long.parseLong(parts[3]);
			this.opened.put(path, Long.parseLong(new String(node.getData(), StandardCharsets.UTF_8)));
		}
		catch (NumberFormatException ex) {
			logger.warn("Ignoring lane node " + path + ": its name and data must be a partition and an offset");
			return;
		}
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

	private String topicPath(String consumerGroup, String topic) {
		return this.servicePath + "/" + segment(consumerGroup) + "/" + segment(topic);
	}

	private String partitionPath(String consumerGroup, String topic, String group, int partition) {
		return topicPath(consumerGroup, topic) + "/" + segment(group) + "/" + partition;
	}

	// A consumer group id may hold any character; a ZooKeeper node name may not hold '/'.
	private static String segment(String name) {
		return URLEncoder.encode(name, StandardCharsets.UTF_8);
	}

	private static String decode(String segment) {
		return java.net.URLDecoder.decode(segment, StandardCharsets.UTF_8);
	}

}
