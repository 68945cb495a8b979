package io.github.isolation.kafka.lanes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.github.isolation.core.ReceivedTags;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.listener.BatchAcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.adapter.AbstractDelegatingMessageListenerAdapter;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Lanes for a batch listener: hands the listener only the records of a batch that this consumer
 * processes, as {@link KafkaLanes#admit} decides for each, with the consumer it is given; so one
 * instance serves a listener's own container and its standbys in the lane groups.
 *
 * <p>A batch whose records all go to other consumers never reaches the listener (its
 * {@link Acknowledgment}, if it has one, is acknowledged). A record that no stable consumer may
 * process (a {@link RecordRoutingException}) ends the batch there: the records admitted before
 * it are processed, then a {@link BatchListenerFailedException} names it, so that the error
 * handler commits the records before it, retries or recovers it, and the records after it come
 * again with the next poll.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class LaneBatchListener<K, V> extends AbstractDelegatingMessageListenerAdapter<BatchMessageListener<K, V>>
		implements BatchAcknowledgingConsumerAwareMessageListener<K, V> {

	private final KafkaLanes lanes;

	private final Function<ConsumerRecord<?, ?>, ReceivedTags> tags;

	LaneBatchListener(BatchMessageListener<K, V> delegate, KafkaLanes lanes,
			Function<ConsumerRecord<?, ?>, ReceivedTags> tags) {
		super(delegate);
		this.lanes = lanes;
		this.tags = tags;
	}

	@Override
	public void onMessage(List<ConsumerRecord<K, V>> records, Acknowledgment acknowledgment, Consumer<?, ?> consumer) {
		List<ConsumerRecord<K, V>> admitted = new ArrayList<>(records.size());
		for (ConsumerRecord<K, V> record : records) {
			try {
				if (this.lanes.admit(record, consumer, this.tags.apply(record))) {
					admitted.add(record);
				}
			}
			catch (RecordRoutingException ex) {
				if (!admitted.isEmpty()) {
					invoke(admitted, acknowledgment, consumer);
				}
				throw new BatchListenerFailedException(ex.getMessage(), ex, record);
			}
		}
		if (!admitted.isEmpty()) {
			invoke(admitted, acknowledgment, consumer);
		}
		else if (acknowledgment != null) {
			// Nothing here for this consumer: the batch is done, as the listener would have said.
			acknowledgment.acknowledge();
		}
	}

	private void invoke(List<ConsumerRecord<K, V>> records, Acknowledgment acknowledgment, Consumer<?, ?> consumer) {
		switch (this.delegateType) {
			case ACKNOWLEDGING_CONSUMER_AWARE -> this.delegate.onMessage(records, acknowledgment, consumer);
			case ACKNOWLEDGING -> this.delegate.onMessage(records, acknowledgment);
			case CONSUMER_AWARE -> this.delegate.onMessage(records, consumer);
			case SIMPLE -> this.delegate.onMessage(records);
		}
	}

}
