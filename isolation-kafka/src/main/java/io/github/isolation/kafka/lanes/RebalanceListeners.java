package io.github.isolation.kafka.lanes;

import java.util.Collection;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * Passes a rebalance on to the listener a lane's listener wraps (the application's own, or none),
 * through the consumer-aware methods where it has them, as the listener container would.
 */
final class RebalanceListeners {

	private RebalanceListeners() {
	}

	static void assigned(ConsumerRebalanceListener delegate, Consumer<?, ?> consumer,
			Collection<TopicPartition> partitions) {
		if (delegate instanceof ConsumerAwareRebalanceListener aware) {
			aware.onPartitionsAssigned(consumer, partitions);
		}
		else if (delegate != null) {
			delegate.onPartitionsAssigned(partitions);
		}
	}

	static void revokedBeforeCommit(ConsumerRebalanceListener delegate, Consumer<?, ?> consumer,
			Collection<TopicPartition> partitions) {
		if (delegate instanceof ConsumerAwareRebalanceListener aware) {
			aware.onPartitionsRevokedBeforeCommit(consumer, partitions);
		}
		else if (delegate != null) {
			delegate.onPartitionsRevoked(partitions);
		}
	}

	static void revokedAfterCommit(ConsumerRebalanceListener delegate, Consumer<?, ?> consumer,
			Collection<TopicPartition> partitions) {
		if (delegate instanceof ConsumerAwareRebalanceListener aware) {
			aware.onPartitionsRevokedAfterCommit(consumer, partitions);
		}
	}

	static void lost(ConsumerRebalanceListener delegate, Consumer<?, ?> consumer,
			Collection<TopicPartition> partitions) {
		if (delegate instanceof ConsumerAwareRebalanceListener aware) {
			aware.onPartitionsLost(consumer, partitions);
		}
		else if (delegate != null) {
			delegate.onPartitionsLost(partitions);
		}
	}

}
