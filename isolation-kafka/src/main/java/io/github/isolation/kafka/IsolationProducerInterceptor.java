package io.github.isolation.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.core.IsolationTags;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Puts the isolation tag on every record a producer sends, as the headers
 * {@value IsolationTags#GROUP} and {@value IsolationTags#FAIL_FAST}, with the same names and
 * syntax as the baggage fields. The tag is the current one on the sending thread
 * ({@link IsolationContext}): the request's baggage, in a listener the record's tag, else this
 * instance's own group. A stable, untagged send gets no header. A header the record already has
 * is left alone, each of the two on its own: the application chose it. The record is not
 * changed; a copy with the headers is sent.
 *
 * <p>Kafka creates the interceptor from its class name in {@code interceptor.classes}; it finds
 * its application by {@value #CONTEXT_ID_CONFIG} (see {@link InterceptorContexts}). The
 * auto-configuration adds both to {@code spring.kafka.producer.properties}, so every producer made
 * from Spring Boot's Kafka properties has it: {@code KafkaTemplate}, and a {@code KafkaProducer}
 * made from {@code KafkaProperties.buildProducerProperties()}. Where no context is found, records
 * pass unchanged, and a warning says so once.
 *
 * @since 0.1.0
 */
public class IsolationProducerInterceptor implements ProducerInterceptor<Object, Object> {

	/** The producer property naming the application whose context this interceptor reads. */
	public static final String CONTEXT_ID_CONFIG = "isolation.context-id";

	private static final Log logger = LogFactory.getLog(IsolationProducerInterceptor.class);

	private final AtomicBoolean warned = new AtomicBoolean();

	private volatile String contextId;

	@Override
	public void configure(Map<String, ?> configs) {
		Object id = configs.get(CONTEXT_ID_CONFIG);
		this.contextId = (id != null) ? id.toString() : null;
	}

	@Override
	public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
		InterceptorContexts.Application application = InterceptorContexts.find(this.contextId);
		if (application == null) {
			if (this.warned.compareAndSet(false, true)) {
				logger.warn("No isolation context for producer interceptor (" + CONTEXT_ID_CONFIG + "="
						+ this.contextId + "); records of this producer are sent without isolation headers");
			}
			return record;
		}
		IsolationTag tag = application.context().current();
		if (!tag.isPropagated()) {
			return record;
		}
		Headers headers = new RecordHeaders(record.headers().toArray());
		tag.writeHeaders((name) -> headers.lastHeader(name) != null,
				(name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
		if (headers.toArray().length == record.headers().toArray().length) {
			return record;
		}
		return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(),
				record.value(), headers);
	}

	@Override
	public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
	}

	@Override
	public void close() {
	}

}
