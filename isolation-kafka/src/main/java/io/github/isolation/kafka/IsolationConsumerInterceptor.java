package io.github.isolation.kafka;

import java.util.Map;

import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.core.IsolationTags;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Takes every isolation tag that the application refuses off each record a consumer receives,
 * in {@code poll}, before anything else reads the record. With Kafka observation on, tracing
 * reads a listener's record into the baggage before any Spring Kafka record interceptor runs, and
 * without validation: a value malformed as the {@value IsolationTags#GROUP} header (say
 * {@code feature-x;p}) would be carried on in the W3C {@code baggage} of everything the listener
 * sends, where the next hop reads it as the valid group {@code feature-x}. Here it is dropped
 * and counted in {@code isolation.tags.dropped}, as an HTTP server drops it; the record keeps
 * only the accepted tags, as the single headers.
 *
 * <p>Kafka creates the interceptor from its class name in {@code interceptor.classes}; it finds
 * its application by {@value IsolationProducerInterceptor#CONTEXT_ID_CONFIG} (see
 * {@link InterceptorContexts}). The auto-configuration adds both to
 * {@code spring.kafka.consumer.properties}. Where no application is found, refused values are
 * still dropped, uncounted.
 *
 * @since 0.1.0
 */
public class IsolationConsumerInterceptor implements ConsumerInterceptor<Object, Object> {

	private volatile String contextId;

	@Override
	public void configure(Map<String, ?> configs) {
		Object id = configs.get(IsolationProducerInterceptor.CONTEXT_ID_CONFIG);
		this.contextId = (id != null) ? id.toString() : null;
	}

	@Override
	public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
		InterceptorContexts.Application application = InterceptorContexts.find(this.contextId);
		RoutingListeners listeners = (application != null) ? application.listeners() : RoutingListeners.NONE;
		for (ConsumerRecord<Object, Object> record : records) {
			RecordTags.acceptOnly(record.headers(), listeners);
		}
		return records;
	}

	@Override
	public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
	}

	@Override
	public void close() {
	}

}
