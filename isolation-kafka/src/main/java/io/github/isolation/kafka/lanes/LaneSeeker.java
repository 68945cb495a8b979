package io.github.isolation.kafka.lanes;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import io.github.isolation.core.LaneSpans;

import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * The rebalance listener of every lane consumer (a feature instance's, and a stable instance's
 * standby): a partition the lane group has no committed offset for starts at the offset the lane
 * opened at last, opening the lane first (at the partitions' end offsets) when nobody has, or,
 * for a consumer of the lane's own group, again where it has closed. So a lane neither reads a
 * record below its opening offset, which stable processes, nor skips one at or above it. A
 * partition with a committed offset inside the lane resumes there: that offset is where one
 * member of the lane group hands over to the next, lane to standby and back. One past a closing
 * resumes at the next opening ({@link LaneSpans#resumeAt}).
 *
 * <p>Opening a lane needs ZooKeeper. While it is unreachable the consumer waits here, on its
 * own thread, and the lane stays closed: its group's records keep going to stable.
 */
class LaneSeeker implements ConsumerAwareRebalanceListener {

	private static final Log logger = LogFactory.getLog(LaneSeeker.class);

	private final LaneWatermarks watermarks;

	private final String consumerGroup;

	private final String group;

	private final boolean opensLane;

	private final ConsumerRebalanceListener delegate;

	LaneSeeker(LaneWatermarks watermarks, String consumerGroup, String group, boolean opensLane,
			ConsumerRebalanceListener delegate) {
		this.watermarks = watermarks;
		this.consumerGroup = consumerGroup;
		this.group = group;
		this.opensLane = opensLane;
		this.delegate = delegate;
	}

	@Override
	public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		if (!partitions.isEmpty()) {
			Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
			Map<String, Map<Integer, LaneSpans>> spansByTopic = new HashMap<>();
			for (TopicPartition partition : partitions) {
				LaneSpans spans = spansByTopic.computeIfAbsent(partition.topic(), (topic) -> open(consumer, topic))
					.get(partition.partition());
				OffsetAndMetadata offset = committed.get(partition);
				if (spans != null) {
					long resumeAt = spans.resumeAt((offset != null) ? offset.offset() : null);
					if (offset == null || resumeAt != offset.offset()) {
						consumer.seek(partition, resumeAt);
					}
				}
				else if (offset == null) {
					// Added to the topic after the lane opened: stable knows no opening offset there and
					// processes all its records, so the lane must not.
					logger.warn("Partition " + partition + " is newer than the lane of '" + this.group
							+ "'; its records of that group go to stable consumers, and the lane starts at its end");
					consumer.seekToEnd(List.of(partition));
				}
			}
		}
		RebalanceListeners.assigned(this.delegate, consumer, partitions);
	}

	private Map<Integer, LaneSpans> open(Consumer<?, ?> consumer, String topic) {
		while (true) {
			try {
				// A consumer of the lane's group opens it again where it has closed; a standby never does.
				return this.opensLane
						? this.watermarks.open(this.consumerGroup, topic, this.group, () -> endOffsets(consumer, topic))
						: this.watermarks.openOrRead(this.consumerGroup, topic, this.group,
								() -> endOffsets(consumer, topic));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while opening the lane of '" + this.group + "'", ex);
			}
			catch (Exception ex) {
				// Curator has already retried with back-off: ZooKeeper is away; keep the lane closed till it is back.
				logger.warn("Cannot open the lane of '" + this.group + "' on topic '" + topic
						+ "' while ZooKeeper is unreachable; trying again (" + ex + ")");
				if (Thread.currentThread().isInterrupted()) {
					throw new IllegalStateException("Interrupted while opening the lane of '" + this.group + "'", ex);
				}
			}
		}
	}

	private static Map<Integer, Long> endOffsets(Consumer<?, ?> consumer, String topic) {
		List<PartitionInfo> infos = consumer.partitionsFor(topic);
		List<TopicPartition> all = infos.stream().map((info) -> new TopicPartition(topic, info.partition())).toList();
		Map<Integer, Long> offsets = new HashMap<>();
		consumer.endOffsets(all).forEach((partition, offset) -> offsets.put(partition.partition(), offset));
		return offsets;
	}

	@Override
	public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		RebalanceListeners.revokedBeforeCommit(this.delegate, consumer, partitions);
	}

	@Override
	public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		RebalanceListeners.revokedAfterCommit(this.delegate, consumer, partitions);
	}

	@Override
	public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		RebalanceListeners.lost(this.delegate, consumer, partitions);
	}

}
