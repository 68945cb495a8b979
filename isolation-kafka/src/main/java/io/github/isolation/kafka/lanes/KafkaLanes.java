package io.github.isolation.kafka.lanes;

import java.time.Duration;
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
import io.github.isolation.core.LaneSpans;
import io.github.isolation.core.ReceivedTags;
import io.github.isolation.core.RecordLaneRule;
import io.github.isolation.core.RecordLaneRule.Outcome;
import io.github.isolation.core.RecordLaneRule.Role;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.event.KafkaEvent;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.event.ListenerContainerPartitionIdleEvent;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.CommonDelegatingErrorHandler;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
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
 * {@code G} outside {@code G}'s lane on their partition ({@link LaneSpans}: below the offset at
 * which it opened, after one at which it closed; all of them while no lane of {@code G} has
 * opened). For every open lane it also runs one standby consumer in {@code C.isolation.G}, which
 * the {@link LaneAssignor} gives partitions only while no {@code G} member is in that group; it
 * processes the lane's records from the lane's committed offsets, so nothing is lost when the
 * lane's instances go, and hands them back at its own committed offsets when one returns.
 * <li>A lane whose group has had no live consumer for a while retires ({@link #setRetireAfter}):
 * the standbys ask for it to close, each stable consumer closes it on the partitions it owns
 * where it stands, and the standbys stop once they have processed the lane's records up to
 * there. A consumer of {@code G} that starts opens it again.
 * <li>A record of a group whose service is fail-fast for it is never processed by a stable
 * consumer: it goes to the listener's error handler with a {@link RecordRoutingException}, an
 * {@link IsolationRoutingException} that says why.
 * </ul>
 *
 * <p>Counted: {@value #DECISIONS}{@code {listener, outcome}} per record and consumer, and
 * {@value #OVERLAPS}{@code {listener}}: records a stable consumer processed before it learnt
 * that their lane had opened below them, which the lane processes as well, or a standby before
 * it learnt that the lane had closed below them, which stable processes as well.
 *
 * @since 0.1.0
 */
public class KafkaLanes implements SmartLifecycle, ApplicationListener<KafkaEvent> {

	/** Meter: what each consumer did with each record. */
	public static final String DECISIONS = "isolation.messages.decisions";

	/** Meter: records processed by both a stable consumer and a lane at a lane's opening or closing. */
	public static final String OVERLAPS = "isolation.messages.lane.overlaps";

	/** The infix of a lane's consumer group id: {@code C.isolation.G}. */
	public static final String LANE_INFIX = ".isolation.";

	// How long a standby pauses before it tries a waiting record again.
	private static final long WAIT_PAUSE_MILLIS = 1000;

	// How often an idle consumer looks at its lanes: a standby whether its lane should retire or
	// has closed, a stable consumer whether to close a retiring lane on a partition without records.
	private static final long IDLE_CHECK_MILLIS = 2000;

	// How long after it learns that a lane retires a stable consumer closes it: by then every
	// standby has learnt it too and waits, instead of processing records that stable takes back.
	private static final Duration CLOSING_GRACE = Duration.ofSeconds(2);

	/** How long a lane's group has no live consumer before its lane retires, by default. */
	public static final Duration DEFAULT_RETIRE_AFTER = Duration.ofMinutes(10);

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

	// Lane group id -> the standby this instance runs there.
	private final Map<String, Standby> standbys = new ConcurrentHashMap<>();

	// Consumer group id/T/G/partition -> offsets processed as FALLBACK while the lane's spans could
	// still change under them.
	private final Map<String, Deque<Long>> unsettledOffsets = new ConcurrentHashMap<>();

	private final ThreadLocal<Boolean> creatingStandby = new ThreadLocal<>();

	// Lane group/topic-partition -> offset of the fail-fast record waiting there.
	private final Map<String, Long> waitingAt = new ConcurrentHashMap<>();

	private boolean waitForLane;

	private Duration retireAfter = DEFAULT_RETIRE_AFTER;

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
	 * Sets how long a lane's group may have no live consumer before the lane retires: its standbys
	 * ask for it to close, the stable consumers close it on each partition where they stand, the
	 * standbys process the lane's records up to there and then stop, and the group's records go
	 * to stable again until a consumer of the group opens the lane again.
	 * @param retireAfter the time, or {@code null} for never
	 */
	public void setRetireAfter(Duration retireAfter) {
		this.retireAfter = retireAfter;
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
		if (properties.getIdlePartitionEventInterval() == null) {
			// To close a retiring lane on a partition that receives no records (onApplicationEvent).
			properties.setIdlePartitionEventInterval(IDLE_CHECK_MILLIS);
		}
		synchronized (this) {
			this.stableListeners.add(new StableListener(name, factory, container, consumerGroup, List.of(topics)));
		}
		logger.info("Kafka listener '" + name + "' joins consumer group '" + consumerGroup + "' for topics "
				+ List.of(topics) + ", and stands by in '" + consumerGroup + LANE_INFIX
				+ "<group>' for each lane that opens; lanes open now: " + openLanesOf(consumerGroup, List.of(topics)));
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
		String consumerGroupId = consumer.groupMetadata().groupId();
		Listener listener = this.listeners.get(consumerGroupId);
		if (listener == null) {
			return true;
		}
		IsolationGroup group = tags.group();
		FailFastServices failFast = tags.failFast();
		Standby standby = (listener.role == Role.STANDBY) ? this.standbys.get(consumerGroupId) : null;
		if (standby != null) {
			standby.tick(consumer);
		}
		LaneSpans spans = null;
		boolean ofLane = group != null && !group.isStable()
				&& (listener.role == Role.STABLE || group.equals(listener.laneGroup));
		if (ofLane) {
			spans = this.watermarks.spans(listener.consumerGroup, record.topic(), group.name(), record.partition());
			if (spans != null && spans.isOpen() && record.offset() >= spans.lastOpening()
					&& this.watermarks.isRetiring(listener.consumerGroup, record.topic(), group.name())) {
				if (listener.role == Role.STABLE) {
					spans = closeAfterGrace(listener, record.topic(), group, record.partition(), record.offset(), spans);
				}
				else if (listener.role == Role.STANDBY) {
					// Stable may have skipped this record: only its closing offset says whose it is.
					count(listener, Outcome.WAITING);
					throw RecordWaitingException.forClosingLane(this.serviceId, group, where(record));
				}
			}
		}
		Outcome outcome = RecordLaneRule.decide(listener.role, listener.laneGroup, this.serviceId, group, failFast,
				spans, record.offset());
		if (outcome == Outcome.FAIL_FAST && this.waitForLane) {
			if (standby != null) {
				outcome = Outcome.WAITING;
				standby.waited();
				logWaiting(listener, record, group);
			}
			else if (listener.role == Role.STABLE && (spans == null || !spans.isOpen())) {
				spans = openLaneAt(listener, record, consumer, group, spans);
				outcome = RecordLaneRule.decide(listener.role, listener.laneGroup, this.serviceId, group, failFast,
						spans, record.offset());
			}
		}
		if (ofLane && listener.role != Role.LANE) {
			countOverlaps(listener, consumerGroupId, record, group, spans, outcome);
		}
		count(listener, outcome);
		if (outcome == Outcome.FAIL_FAST) {
			throw new RecordRoutingException(this.serviceId, group, where(record));
		}
		if (outcome == Outcome.WAITING) {
			throw new RecordWaitingException(this.serviceId, group, where(record));
		}
		return outcome != Outcome.SKIPPED;
	}

	private static String where(ConsumerRecord<?, ?> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

	// A stable consumer closes a retiring lane on a partition it owns at the first record (or the
	// position, when the partition is idle) it has not decided on once the grace has passed: every
	// record of the group it skipped is below, and the standby processes those. Until then, and
	// while ZooKeeper cannot be reached, it goes on skipping the lane's records, and closes the
	// lane later, higher up.
	private LaneSpans closeAfterGrace(Listener listener, String topic, IsolationGroup group, int partition,
			long offset, LaneSpans spans) {
		Duration retiring = this.watermarks.retiringFor(listener.consumerGroup, topic, group.name());
		if (retiring == null || retiring.compareTo(CLOSING_GRACE) < 0 || !this.watermarks.isConnected()) {
			return spans;
		}
		try {
			return this.watermarks.closeAt(listener.consumerGroup, topic, group.name(), partition, offset);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return spans;
		}
		catch (Exception ex) {
			logger.warn("Cannot close the retiring lane of '" + group + "' on " + topic + "-" + partition
					+ " yet; its records there keep going to the lane (" + ex + ")");
			return spans;
		}
	}

	// With fail-fast=wait, a stable consumer that meets a fail-fast record of a group with no open
	// lane opens the lane (again) at that record, so that it waits in the lane group for a consumer
	// of its group. On the other partitions the lane opens at the listener group's committed offsets
	// (the log's start where it has none, never below where it last closed): no record of the group
	// that stable may not have processed is left outside the lane, and those stable processed since
	// its last commit are counted as overlaps once it learns of the lane. Returns the spans it knew,
	// and the record goes to the error handler, when ZooKeeper cannot be reached: stable consumers do
	// not stop for it.
	private LaneSpans openLaneAt(Listener listener, ConsumerRecord<?, ?> record, Consumer<?, ?> consumer,
			IsolationGroup group, LaneSpans spans) {
		if (!this.watermarks.isConnected()) {
			return spans;
		}
		try {
			LaneSpans opened = this.watermarks
				.open(listener.consumerGroup, record.topic(), group.name(), () -> uncommittedOffsets(consumer, record))
				.get(record.partition());
			if (opened != null && opened.contains(record.offset())) {
				logger.info("Record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " of '" + group
						+ "' is fail-fast for '" + this.serviceId + "', which has no consumer in that group: it waits in"
						+ " consumer group '" + laneGroupId(listener.consumerGroup, group.name())
						+ "' for one (isolation.kafka.lanes.fail-fast=wait)");
			}
			return opened;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return spans;
		}
		catch (Exception ex) {
			logger.warn("Cannot open the lane of '" + group + "' for a fail-fast record to wait in; it goes to the"
					+ " error handler (" + ex + ")");
			return spans;
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

	// A consumer that learns late where a lane is open may process records the other side processes
	// too: a stable consumer the first records of a lane that opened below them, a standby the first
	// records after a closing below them. Each remembers what it processed while that could still
	// change, and counts the overlap once it knows.
	private void countOverlaps(Listener listener, String consumerGroupId, ConsumerRecord<?, ?> record,
			IsolationGroup group, LaneSpans spans, Outcome outcome) {
		boolean stable = listener.role == Role.STABLE;
		boolean settled = (spans != null) && (spans.isOpen() == stable);
		if (settled && this.unsettledOffsets.isEmpty()) {
			// The usual case, at every record of an open lane on a stable consumer: nothing to count.
			return;
		}
		String key = overlapKey(consumerGroupId, record.topic(), group.name(), record.partition());
		if (!settled) {
			if (outcome == Outcome.FALLBACK) {
				Deque<Long> offsets = this.unsettledOffsets.computeIfAbsent(key, (k) -> new ArrayDeque<>());
				synchronized (offsets) {
					if (offsets.size() == REMEMBERED_OFFSETS) {
						offsets.removeFirst();
					}
					offsets.addLast(record.offset());
				}
			}
			return;
		}
		settleOverlaps(listener, key, group.name(), record.topic() + "-" + record.partition(), spans);
	}

	private void settleOverlaps(Listener listener, String key, String group, String partition, LaneSpans spans) {
		Deque<Long> offsets = this.unsettledOffsets.remove(key);
		if (offsets == null) {
			return;
		}
		boolean stable = listener.role == Role.STABLE;
		long overlapping;
		synchronized (offsets) {
			// Stable's inside the lane, or the standby's outside it.
			overlapping = offsets.stream().filter((offset) -> spans.contains(offset) == stable).count();
		}
		if (overlapping > 0) {
			logger.warn(overlapping + " record(s) of '" + group + "' on " + partition + " were processed by "
					+ (stable ? "listener '" + listener.name + "' before it learnt that their lane opened at "
							+ spans.lastOpening() + "; the lane processes them too"
							: "the standby of listener '" + listener.name + "' before it learnt that their lane closed at "
									+ spans.lastClosing() + "; stable processes them too"));
			this.meters.overlaps(listener.name, overlapping);
		}
	}

	private static String overlapKey(String consumerGroupId, String topic, String group, int partition) {
		return consumerGroupId + "/" + topic + "/" + group + "/" + partition;
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
		description.put("standbys", List.copyOf(new java.util.TreeSet<>(this.standbys.keySet())));
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
			if (!this.watermarks.isOpen(consumerGroup, topic, group)) {
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
		ConcurrentMessageListenerContainer<?, ?> container;
		this.creatingStandby.set(Boolean.TRUE);
		try {
			container = listener.factory.createContainer(listener.topics.toArray(String[]::new));
		}
		finally {
			this.creatingStandby.remove();
		}
		Standby standby = new Standby(listener, group, container);
		ContainerProperties properties = container.getContainerProperties();
		properties.setGroupId(laneGroupId);
		properties.setMessageListener(listener.container.getContainerProperties().getMessageListener());
		properties.setClientId(listener.name + LANE_INFIX + group);
		properties.setIdleEventInterval(IDLE_CHECK_MILLIS);
		properties.setConsumerRebalanceListener(standby.holding(properties.getConsumerRebalanceListener()));
		container.setBeanName(listener.name + LANE_INFIX + group);
		// One consumer is enough to stand by; it fetches only while the lane has no live member.
		container.setConcurrency(1);
		laneConsumer(properties, listener.consumerGroup, group, IsolationGroup.STABLE_NAME);
		this.listeners.put(laneGroupId, new Listener(listener.name, Role.STANDBY, listener.consumerGroup,
				IsolationGroup.of(group)));
		container.setCommonErrorHandler(waitingErrorHandler(container.getCommonErrorHandler()));
		this.standbys.put(laneGroupId, standby);
		container.start();
		logger.info("Kafka listener '" + listener.name + "' stands by in consumer group '" + laneGroupId
				+ "': it processes records tagged '" + group + "' while that group has no live consumer");
	}

	/**
	 * Looks at the lanes when a consumer has been idle: a standby whether its lane should retire
	 * or has closed, a stable consumer whether to close a retiring lane on the idle partition.
	 * Published on the consumer's own thread, where its consumer may be used.
	 * @param event an idle event of a listener container
	 */
	@Override
	public void onApplicationEvent(KafkaEvent event) {
		if (event instanceof ListenerContainerIdleEvent idle && idle.getConsumer() != null) {
			Standby standby = this.standbys.get(idle.getConsumer().groupMetadata().groupId());
			if (standby != null) {
				standby.tick(idle.getConsumer());
			}
		}
		else if (event instanceof ListenerContainerPartitionIdleEvent idle && idle.getConsumer() != null) {
			Consumer<?, ?> consumer = idle.getConsumer();
			Listener listener = this.listeners.get(consumer.groupMetadata().groupId());
			if (listener != null && listener.role == Role.STABLE) {
				closeRetiringLanes(listener, consumer, idle.getTopicPartition());
			}
		}
	}

	private void closeRetiringLanes(Listener listener, Consumer<?, ?> consumer, TopicPartition partition) {
		for (String group : this.watermarks.lanes(listener.consumerGroup, partition.topic())) {
			LaneSpans spans = this.watermarks.spans(listener.consumerGroup, partition.topic(), group,
					partition.partition());
			if (spans != null && spans.isOpen()
					&& this.watermarks.isRetiring(listener.consumerGroup, partition.topic(), group)) {
				closeAfterGrace(listener, partition.topic(), IsolationGroup.of(group), partition.partition(),
						consumer.position(partition), spans);
			}
		}
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
				laneGroup.equals(memberGroup), properties.getConsumerRebalanceListener()));
	}

	private Set<String> openLanesOf(String consumerGroup, Collection<String> topics) {
		Set<String> lanes = new java.util.TreeSet<>();
		for (String topic : topics) {
			lanes.addAll(this.watermarks.openLanes(consumerGroup, topic));
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
				for (String group : openLanesOf(listener.consumerGroup, listener.topics)) {
					startStandby(listener, group);
				}
			}
		}
	}

	@Override
	public void stop() {
		List<Standby> stopping;
		synchronized (this) {
			this.running = false;
			stopping = new ArrayList<>(this.standbys.values());
			this.standbys.clear();
		}
		for (Standby standby : stopping) {
			standby.container.stop();
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

	/**
	 * What a consumer group's consumers are here.
	 * @param name the listener's id
	 * @param role their part
	 * @param consumerGroup the listener's own group {@code C}
	 * @param laneGroup the group of their lane, {@code null} for a stable listener's
	 */
	private record Listener(String name, Role role, String consumerGroup, IsolationGroup laneGroup) {
	}

	/**
	 * A standby of a stable listener in one lane group, and its retirement: once it has held the
	 * lane's partitions (the lane's group has had no live consumer) for {@link #retireAfter}, with
	 * no fail-fast record waiting, it asks for the lane to close; once the lane has closed on
	 * every partition and it has read up to the closing offsets on its own, it stops.
	 */
	private final class Standby {

		private final StableListener listener;

		private final String group;

		private final ConcurrentMessageListenerContainer<?, ?> container;

		// System.nanoTime() when it was given partitions, 0 while it holds none.
		private volatile long heldSince;

		private volatile long lastWaited;

		private volatile boolean stopping;

		Standby(StableListener listener, String group, ConcurrentMessageListenerContainer<?, ?> container) {
			this.listener = listener;
			this.group = group;
			this.container = container;
		}

		ConsumerRebalanceListener holding(ConsumerRebalanceListener delegate) {
			return new ConsumerAwareRebalanceListener() {

				@Override
				public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
					Standby.this.heldSince = consumer.assignment().isEmpty() ? 0 : System.nanoTime();
					RebalanceListeners.assigned(delegate, consumer, partitions);
				}

				@Override
				public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer,
						Collection<TopicPartition> partitions) {
					Standby.this.heldSince = 0;
					RebalanceListeners.revokedBeforeCommit(delegate, consumer, partitions);
				}

				@Override
				public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer,
						Collection<TopicPartition> partitions) {
					RebalanceListeners.revokedAfterCommit(delegate, consumer, partitions);
				}

				@Override
				public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
					Standby.this.heldSince = 0;
					RebalanceListeners.lost(delegate, consumer, partitions);
				}

			};
		}

		void waited() {
			this.lastWaited = System.nanoTime();
		}

		// On the standby's own thread, at each record and when it is idle.
		void tick(Consumer<?, ?> consumer) {
			if (this.stopping) {
				return;
			}
			String consumerGroup = this.listener.consumerGroup;
			boolean retiring = this.listener.topics.stream()
				.anyMatch((topic) -> KafkaLanes.this.watermarks.isRetiring(consumerGroup, topic, this.group));
			if (!retiring) {
				askToRetire();
			}
			else if (closedUpTo(consumer)) {
				this.stopping = true;
				String laneGroupId = laneGroupId(consumerGroup, this.group);
				Listener standby = KafkaLanes.this.listeners.get(laneGroupId);
				for (TopicPartition partition : consumer.assignment()) {
					LaneSpans spans = KafkaLanes.this.watermarks.spans(consumerGroup, partition.topic(), this.group,
							partition.partition());
					if (spans != null) {
						settleOverlaps(standby, overlapKey(laneGroupId, partition.topic(), this.group,
								partition.partition()), this.group, partition.toString(), spans);
					}
				}
				KafkaLanes.this.standbys.remove(laneGroupId(consumerGroup, this.group), this);
				logger.info("The lane of '" + this.group + "' for listener '" + this.listener.name + "' has closed;"
						+ " its standby in consumer group '" + laneGroupId(consumerGroup, this.group) + "' stops, and"
						+ " records of '" + this.group + "' go to stable consumers until the lane opens again");
				// Stops after the records of this poll, on its own thread, without waiting for itself.
				this.container.stop(() -> {
				});
			}
		}

		private void askToRetire() {
			Duration after = KafkaLanes.this.retireAfter;
			long since = Math.max(this.heldSince, this.lastWaited);
			if (after == null || this.heldSince == 0 || System.nanoTime() - since < after.toNanos()
					|| !KafkaLanes.this.watermarks.isConnected()) {
				return;
			}
			for (String topic : this.listener.topics) {
				try {
					KafkaLanes.this.watermarks.retire(this.listener.consumerGroup, topic, this.group);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				catch (Exception ex) {
					logger.warn("Cannot ask the lane of '" + this.group + "' on topic '" + topic + "' to retire yet ("
							+ ex + ")");
					return;
				}
			}
		}

		// Closed on every partition of every topic, and read on its own partitions up to the closing.
		private boolean closedUpTo(Consumer<?, ?> consumer) {
			for (String topic : this.listener.topics) {
				if (!KafkaLanes.this.watermarks.isClosed(this.listener.consumerGroup, topic, this.group)) {
					return false;
				}
			}
			for (TopicPartition partition : consumer.assignment()) {
				LaneSpans spans = KafkaLanes.this.watermarks.spans(this.listener.consumerGroup, partition.topic(),
						this.group, partition.partition());
				if (spans != null && consumer.position(partition) < spans.lastClosing()) {
					return false;
				}
			}
			return true;
		}

	}

	private record StableListener(String name, ConcurrentKafkaListenerContainerFactory<?, ?> factory,
			ConcurrentMessageListenerContainer<?, ?> container, String consumerGroup, List<String> topics) {
	}

}
