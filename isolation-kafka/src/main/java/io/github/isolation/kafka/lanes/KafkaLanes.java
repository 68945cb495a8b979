package io.github.isolation.kafka.lanes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.ReceivedTags;
import io.github.isolation.core.RecordLaneRule;
import io.github.isolation.core.RecordLaneRule.Outcome;
import io.github.isolation.core.RecordLaneRule.Role;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.CommonDelegatingErrorHandler;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Lanes for the listeners of one application, record and batch listeners alike: which consumer
 * group each listener joins, the stable instances' standby consumers in the lane groups, and the
 * decision, per record, of whether this consumer processes it ({@link RecordLaneRule}). A batch
 * listener is given only the records of a batch that its consumer processes.
 *
 * <ul>
 * <li>A feature instance (group {@code G}) joins {@code C.isolation.G} instead of the listener's
 * group {@code C}, and processes only records tagged {@code G}: untagged records never reach it.
 * <li>A stable instance joins {@code C} and processes untagged records, and records of a group
 * {@code G} below the offset at which {@code G}'s lane opened on their partition (all of them
 * while no lane of {@code G} has opened). For every lane that has opened it also runs one
 * standby consumer in {@code C.isolation.G}, which the {@link LaneAssignor} gives partitions only
 * while no {@code G} member is in that group; it processes the lane's records from the lane's
 * committed offsets, so nothing is lost when the lane's instances go, and hands them back at its
 * own committed offsets when one returns.
 * <li>A record of a group whose service is fail-fast for it is never processed by a stable
 * consumer: it goes to the listener's error handler with a {@link RecordRoutingException}, an
 * {@link IsolationRoutingException} that says why.
 * </ul>
 *
 * <p>Counted: {@value #DECISIONS}{@code {listener, outcome}} per record and consumer, and
 * {@value #OVERLAPS}{@code {listener}}: records a stable consumer processed before it learnt
 * that their lane had opened below them, which the lane processes as well.
 *
 * @since 0.1.0
 */
public class KafkaLanes implements SmartLifecycle {

	/** Meter: what each consumer did with each record. */
	public static final String DECISIONS = "isolation.messages.decisions";

	/** Meter: records processed by both a stable consumer and a lane at a lane's opening. */
	public static final String OVERLAPS = "isolation.messages.lane.overlaps";

	/** The infix of a lane's consumer group id: {@code C.isolation.G}. */
	public static final String LANE_INFIX = ".isolation.";

	// How long a standby pauses before it tries a waiting record again.
	private static final long WAIT_PAUSE_MILLIS = 1000;

	// How many offsets of records of a group without a known lane a stable consumer remembers per
	// partition, to count those that turn out to be at or above the lane's opening offset.
	private static final int REMEMBERED_OFFSETS = 4096;

	private static final Log logger = LogFactory.getLog(KafkaLanes.class);

	private final String serviceId;

	private final IsolationGroup instanceGroup;

	private final LaneWatermarks watermarks;

	private final LaneMeters meters;

	// Reads a record's accepted tags for a batch listener, as the record interceptor reads them.
	private final Function<ConsumerRecord<?, ?>, ReceivedTags> tags;

	// Consumer group id -> what a consumer of that group is here.
	private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

	// The stable listeners, with the factory that made them, for their standbys.
	private final List<StableListener> stableListeners = new ArrayList<>();

	private final Map<String, ConcurrentMessageListenerContainer<?, ?>> standbys = new LinkedHashMap<>();

	// C/T/G/partition -> offsets processed as FALLBACK while no lane was known.
	private final Map<String, Deque<Long>> unknownLaneOffsets = new ConcurrentHashMap<>();

	private final ThreadLocal<Boolean> creatingStandby = new ThreadLocal<>();

	// Lane group/topic-partition -> offset of the fail-fast record waiting there.
	private final Map<String, Long> waitingAt = new ConcurrentHashMap<>();

	private boolean waitForLane;

	private volatile boolean running;

	/**
	 * Creates the lanes of an application.
	 * @param serviceId the service (its {@code spring.application.name})
	 * @param instanceGroup this instance's group
	 * @param watermarks the lanes' opening offsets
	 * @param meters where decisions are counted ({@link LaneMeters#NONE} for nowhere)
	 * @param tags reads a record's accepted tags, for the records of a batch listener (a record
	 * listener's interceptor reads them itself and passes them to {@link #admit})
	 */
	public KafkaLanes(String serviceId, IsolationGroup instanceGroup, LaneWatermarks watermarks, LaneMeters meters,
			Function<ConsumerRecord<?, ?>, ReceivedTags> tags) {
		this.serviceId = serviceId;
		this.instanceGroup = instanceGroup;
		this.watermarks = watermarks;
		this.meters = meters;
		this.tags = tags;
		watermarks.onLaneKnown(this::laneKnown);
	}

	/**
	 * Sets what happens to a fail-fast record whose group has no live consumer: {@code false}
	 * (the default) hands it to the listener's error handler with a {@link RecordRoutingException};
	 * {@code true} keeps it in its lane group, opening the lane at it if need be, until a consumer
	 * of its group starts: a standby meeting it throws a {@link RecordWaitingException}, which its
	 * error handler answers by seeking back and trying again a second later.
	 * @param waitForLane whether fail-fast records wait
	 */
	public void setWaitForLane(boolean waitForLane) {
		this.waitForLane = waitForLane;
	}

	/**
	 * Sets a listener container up for lanes: called for every container a listener container
	 * factory makes, before it starts.
	 * @param factory the factory that made it
	 * @param container the container
	 */
	public void customize(ConcurrentKafkaListenerContainerFactory<?, ?> factory,
			ConcurrentMessageListenerContainer<?, ?> container) {
		if (Boolean.TRUE.equals(this.creatingStandby.get())) {
			return;
		}
		ContainerProperties properties = container.getContainerProperties();
		String consumerGroup = container.getGroupId();
		String name = listenerName(container);
		String[] topics = properties.getTopics();
		if (properties.getMessageListener() instanceof BatchMessageListener<?, ?> batch && batch.wantsPollResult()) {
			logger.warn("Kafka listener '" + name + "' is a batch listener that takes the poll result (ConsumerRecords);"
					+ " lanes hand a batch listener a list of the records its consumer processes, so it joins"
					+ " consumer group '" + consumerGroup + "' as it is, whatever this instance's group");
			return;
		}
		if (consumerGroup == null || topics == null || topics.length == 0) {
			logger.warn("Kafka listener '" + name + "' has no consumer group id or no topics by name; lanes need"
					+ " both, so it joins as it is, whatever this instance's group");
			return;
		}
		// Hands a batch listener only what this consumer admits; the standbys reuse it with their own consumers.
		if (properties.getMessageListener() instanceof BatchMessageListener<?, ?> batch) {
			properties.setMessageListener(new LaneBatchListener<>(batch, this, this.tags));
		}
		if (!this.instanceGroup.isStable()) {
			String laneGroupId = laneGroupId(consumerGroup, this.instanceGroup.name());
			properties.setGroupId(laneGroupId);
			laneConsumer(properties, consumerGroup, this.instanceGroup.name(), this.instanceGroup.name());
			this.listeners.put(laneGroupId, new Listener(name, Role.LANE, consumerGroup, this.instanceGroup));
			logger.info("Kafka listener '" + name + "' joins consumer group '" + laneGroupId + "' instead of '"
					+ consumerGroup + "' and processes only records tagged '" + this.instanceGroup
					+ "' of topics " + List.of(topics));
			return;
		}
		this.listeners.put(consumerGroup, new Listener(name, Role.STABLE, consumerGroup, null));
		synchronized (this) {
			this.stableListeners.add(new StableListener(name, factory, container, consumerGroup, List.of(topics)));
		}
		logger.info("Kafka listener '" + name + "' joins consumer group '" + consumerGroup + "' for topics "
				+ List.of(topics) + ", and stands by in '" + consumerGroup + LANE_INFIX
				+ "<group>' for each lane that opens; lanes known now: " + lanesOf(consumerGroup, List.of(topics)));
	}

	/**
	 * Whether this consumer processes a record: {@code false} to skip it, which another consumer
	 * processes.
	 * @param record the record
	 * @param consumer the consumer that polled it
	 * @param tags the record's accepted tags
	 * @return whether to process it
	 * @throws RecordRoutingException when the record must not be processed by stable and its
	 * group has no consumer
	 */
	public boolean admit(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, ReceivedTags tags) {
		Listener listener = this.listeners.get(consumer.groupMetadata().groupId());
		if (listener == null) {
			return true;
		}
		IsolationGroup group = tags.group();
		FailFastServices failFast = tags.failFast();
		Long openedAt = null;
		if (listener.role == Role.STABLE && group != null && !group.isStable()) {
			openedAt = this.watermarks.openedAt(listener.consumerGroup, record.topic(), group.name(), record.partition());
		}
		Outcome outcome = RecordLaneRule.decide(listener.role, listener.laneGroup, this.serviceId, group, failFast,
				openedAt, record.offset());
		if (outcome == Outcome.FAIL_FAST && this.waitForLane) {
			if (listener.role == Role.STANDBY) {
				outcome = Outcome.WAITING;
				logWaiting(listener, record, group);
			}
			else if (openedAt == null) {
				openedAt = openLaneAt(listener, record, consumer, group);
				outcome = RecordLaneRule.decide(listener.role, listener.laneGroup, this.serviceId, group, failFast,
						openedAt, record.offset());
			}
		}
		if (listener.role == Role.STABLE && group != null && !group.isStable()) {
			countOverlaps(listener, record, group, openedAt, outcome);
		}
		count(listener, outcome);
		String where = record.topic() + "-" + record.partition() + "@" + record.offset();
		if (outcome == Outcome.FAIL_FAST) {
			throw new RecordRoutingException(this.serviceId, group, where);
		}
		if (outcome == Outcome.WAITING) {
			throw new RecordWaitingException(this.serviceId, group, where);
		}
		return outcome != Outcome.SKIPPED;
	}

	// With fail-fast=wait, a stable consumer that meets a fail-fast record of a group with no lane
	// opens the lane at that record, so that it waits in the lane group for a consumer of its group.
	// On the other partitions the lane opens at the listener group's committed offsets (the log's
	// start where it has none): no record of the group that stable may not have processed is left
	// below the lane's offset, and those stable processed since its last commit are counted as
	// overlaps once it learns of the lane. Returns null, and the record goes to the error handler,
	// when ZooKeeper cannot be reached: stable consumers do not stop for it.
	private Long openLaneAt(Listener listener, ConsumerRecord<?, ?> record, Consumer<?, ?> consumer,
			IsolationGroup group) {
		if (!this.watermarks.isConnected()) {
			return null;
		}
		try {
			Map<Integer, Long> offsets = this.watermarks.openOrRead(listener.consumerGroup, record.topic(),
					group.name(), () -> uncommittedOffsets(consumer, record));
			Long openedAt = offsets.get(record.partition());
			if (openedAt != null && record.offset() >= openedAt) {
				logger.info("Record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " of '" + group
						+ "' is fail-fast for '" + this.serviceId + "', which has no consumer in that group: it waits in"
						+ " consumer group '" + laneGroupId(listener.consumerGroup, group.name())
						+ "' for one (isolation.kafka.lanes.fail-fast=wait)");
			}
			return openedAt;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (Exception ex) {
			logger.warn("Cannot open the lane of '" + group + "' for a fail-fast record to wait in; it goes to the"
					+ " error handler (" + ex + ")");
			return null;
		}
	}

	private static Map<Integer, Long> uncommittedOffsets(Consumer<?, ?> consumer, ConsumerRecord<?, ?> record) {
		Set<TopicPartition> partitions = new HashSet<>();
		for (PartitionInfo info : consumer.partitionsFor(record.topic())) {
			partitions.add(new TopicPartition(record.topic(), info.partition()));
		}
		Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
		Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
		Map<Integer, Long> offsets = new HashMap<>();
		for (TopicPartition partition : partitions) {
			OffsetAndMetadata offset = committed.get(partition);
			offsets.put(partition.partition(), (offset != null) ? offset.offset() : beginnings.get(partition));
		}
		offsets.put(record.partition(), record.offset());
		return offsets;
	}

	// Once per record, not at every attempt.
	private void logWaiting(Listener listener, ConsumerRecord<?, ?> record, IsolationGroup group) {
		String partition = laneGroupId(listener.consumerGroup, group.name()) + "/" + record.topic() + "-"
				+ record.partition();
		Long before = this.waitingAt.put(partition, record.offset());
		if (before == null || before != record.offset()) {
			logger.info("Record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " of '" + group
					+ "' waits for a consumer of '" + this.serviceId + "' in that group: the service is in its"
					+ " isolation-fail-fast list (isolation.kafka.lanes.fail-fast=wait)");
		}
	}

	// A stable consumer that learns of a lane late has processed the lane's first records too.
	private void countOverlaps(Listener listener, ConsumerRecord<?, ?> record, IsolationGroup group, Long openedAt,
			Outcome outcome) {
		String key = listener.consumerGroup + "/" + record.topic() + "/" + group.name() + "/" + record.partition();
		if (openedAt == null) {
			if (outcome == Outcome.FALLBACK) {
				Deque<Long> offsets = this.unknownLaneOffsets.computeIfAbsent(key, (k) -> new ArrayDeque<>());
				synchronized (offsets) {
					if (offsets.size() == REMEMBERED_OFFSETS) {
						offsets.removeFirst();
					}
					offsets.addLast(record.offset());
				}
			}
			return;
		}
		Deque<Long> offsets = this.unknownLaneOffsets.remove(key);
		if (offsets == null) {
			return;
		}
		long overlapping;
		synchronized (offsets) {
			overlapping = offsets.stream().filter((offset) -> offset >= openedAt).count();
		}
		if (overlapping > 0) {
			logger.warn(overlapping + " record(s) of '" + group + "' on " + record.topic() + "-" + record.partition()
					+ " were processed by listener '" + listener.name + "' before it learnt that their lane opened at "
					+ openedAt + "; the lane processes them too");
			this.meters.overlaps(listener.name, overlapping);
		}
	}

	private void count(Listener listener, Outcome outcome) {
		this.meters.decision(listener.name, outcome);
	}

	/**
	 * The lanes, for the actuator endpoint: for each listener, the groups with an open lane.
	 * @return lane groups by listener consumer group id
	 */
	public synchronized Map<String, Object> describe() {
		Map<String, Object> description = new LinkedHashMap<>();
		this.listeners.forEach((groupId, listener) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("listener", listener.name);
			entry.put("role", listener.role.name().toLowerCase(java.util.Locale.ROOT));
			if (listener.laneGroup != null) {
				entry.put("lane", listener.laneGroup.name());
			}
			description.put(groupId, entry);
		});
		description.put("standbys", List.copyOf(this.standbys.keySet()));
		return description;
	}

	private void laneKnown(String lane) {
		String[] parts = lane.split("/", 3);
		String consumerGroup = parts[0];
		String topic = parts[1];
		String group = parts[2];
		synchronized (this) {
			if (!this.running) {
				return;
			}
			for (StableListener listener : this.stableListeners) {
				if (listener.consumerGroup.equals(consumerGroup) && listener.topics.contains(topic)) {
					startStandby(listener, group);
				}
			}
		}
	}

	private void startStandby(StableListener listener, String group) {
		String laneGroupId = laneGroupId(listener.consumerGroup, group);
		if (this.standbys.containsKey(laneGroupId)) {
			return;
		}
		ConcurrentMessageListenerContainer<?, ?> standby;
		this.creatingStandby.set(Boolean.TRUE);
		try {
			standby = listener.factory.createContainer(listener.topics.toArray(String[]::new));
		}
		finally {
			this.creatingStandby.remove();
		}
		ContainerProperties properties = standby.getContainerProperties();
		properties.setGroupId(laneGroupId);
		properties.setMessageListener(listener.container.getContainerProperties().getMessageListener());
		properties.setClientId(listener.name + LANE_INFIX + group);
		standby.setBeanName(listener.name + LANE_INFIX + group);
		// One consumer is enough to stand by; it fetches only while the lane has no live member.
		standby.setConcurrency(1);
		laneConsumer(properties, listener.consumerGroup, group, IsolationGroup.STABLE_NAME);
		this.listeners.put(laneGroupId, new Listener(listener.name, Role.STANDBY, listener.consumerGroup,
				IsolationGroup.of(group)));
		if (this.waitForLane) {
			standby.setCommonErrorHandler(waitingErrorHandler(standby.getCommonErrorHandler()));
		}
		this.standbys.put(laneGroupId, standby);
		standby.start();
		logger.info("Kafka listener '" + listener.name + "' stands by in consumer group '" + laneGroupId
				+ "': it processes records tagged '" + group + "' while that group has no live consumer");
	}

	// The standby's error handler is its factory's, except for a waiting record: that one is sought
	// back and tried again after a pause, for as long as it takes, and never given to a recoverer.
	// Its seeking and acknowledging follow the factory's handler, as a delegating handler requires.
	private static CommonErrorHandler waitingErrorHandler(CommonErrorHandler handler) {
		CommonErrorHandler others = (handler != null) ? handler : new DefaultErrorHandler();
		DefaultErrorHandler waiting = new DefaultErrorHandler(
				new FixedBackOff(WAIT_PAUSE_MILLIS, FixedBackOff.UNLIMITED_ATTEMPTS));
		waiting.setSeekAfterError(others.seeksAfterHandling());
		waiting.setAckAfterHandle(others.isAckAfterHandle());
		// Logged once per record by admit, not at every attempt.
		waiting.setLogLevel(KafkaException.Level.DEBUG);
		CommonDelegatingErrorHandler delegating = new CommonDelegatingErrorHandler(others);
		delegating.setCauseChainTraversing(true);
		delegating.addDelegate(RecordWaitingException.class, waiting);
		return delegating;
	}

	private void laneConsumer(ContainerProperties properties, String consumerGroup, String laneGroup,
			String memberGroup) {
		Properties consumerProperties = new Properties();
		consumerProperties.putAll(properties.getKafkaConsumerProperties());
		consumerProperties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, LaneAssignor.class.getName());
		consumerProperties.put(LaneAssignor.MEMBER_GROUP_CONFIG, memberGroup);
		properties.setKafkaConsumerProperties(consumerProperties);
		properties.setConsumerRebalanceListener(new LaneSeeker(this.watermarks, consumerGroup, laneGroup,
				properties.getConsumerRebalanceListener()));
	}

	private Set<String> lanesOf(String consumerGroup, Collection<String> topics) {
		Set<String> lanes = new java.util.TreeSet<>();
		for (String topic : topics) {
			lanes.addAll(this.watermarks.lanes(consumerGroup, topic));
		}
		return lanes;
	}

	/**
	 * The consumer group id of a lane.
	 * @param consumerGroup the listener's own group id
	 * @param group the lane's group
	 * @return {@code consumerGroup.isolation.group}
	 */
	public static String laneGroupId(String consumerGroup, String group) {
		return consumerGroup + LANE_INFIX + group;
	}

	private static String listenerName(AbstractMessageListenerContainer<?, ?> container) {
		String id = container.getListenerId();
		return (id != null) ? id : container.getBeanName();
	}

	@Override
	public void start() {
		this.watermarks.start();
		synchronized (this) {
			this.running = true;
			for (StableListener listener : this.stableListeners) {
				for (String group : lanesOf(listener.consumerGroup, listener.topics)) {
					startStandby(listener, group);
				}
			}
		}
	}

	@Override
	public void stop() {
		List<ConcurrentMessageListenerContainer<?, ?>> stopping;
		synchronized (this) {
			this.running = false;
			stopping = new ArrayList<>(this.standbys.values());
			this.standbys.clear();
		}
		for (ConcurrentMessageListenerContainer<?, ?> standby : stopping) {
			standby.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	// After the listener containers (Integer.MAX_VALUE - 100) start, before they stop.
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 50;
	}

	private record Listener(String name, Role role, String consumerGroup, IsolationGroup laneGroup) {
	}

	private record StableListener(String name, ConcurrentKafkaListenerContainerFactory<?, ?> factory,
			ConcurrentMessageListenerContainer<?, ?> container, String consumerGroup, List<String> topics) {
	}

}
