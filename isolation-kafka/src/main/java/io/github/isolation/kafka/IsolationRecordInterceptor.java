package io.github.isolation.kafka;

import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.ReceivedTags;
import io.github.isolation.kafka.IsolationRecordScope.RecordScope;
import io.github.isolation.kafka.lanes.KafkaLanes;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Makes a record's isolation tag the current baggage while a record listener processes it, so
 * that the calls the listener makes are routed in the record's group and the records it sends
 * carry the tag on. The tag is read as a server reads a request's: the
 * {@value IsolationTags#GROUP} (and {@value IsolationTags#FAIL_FAST}) header first, then the
 * entry of the W3C {@code baggage} header; a malformed value is dropped, counted as
 * {@code isolation.tags.dropped}, and the record is processed as if it did not carry it. A
 * record without a tag changes nothing: its listener takes this instance's own group.
 *
 * <p>What it refuses it also takes off the record, so the listener sees only the accepted tags,
 * as the single headers. Kafka observation reads the record before this interceptor runs;
 * {@link IsolationConsumerInterceptor} has already taken refused values off by then, in
 * {@code poll}.
 *
 * <p>Baggage needs a trace context to live in. With Kafka observation on, the listener's
 * observation has one; without it, the interceptor starts a span of its own for each tagged
 * record ({@value #SPAN_NAME}), ended when the record is done. It opens and closes the tag with
 * an {@link IsolationRecordScope}, as a batch listener does per record.
 *
 * <p>With lanes on ({@link KafkaLanes}), it first asks whether this consumer processes the
 * record at all, and returns {@code null} (Spring Kafka then skips the record and commits past
 * it) for a record another consumer processes.
 *
 * <p>Spring Kafka runs no record interceptor for a batch listener: a batch listener opens the
 * tag of each record itself, with {@link IsolationRecordScope}.
 *
 * @since 0.1.0
 */
public class IsolationRecordInterceptor implements RecordInterceptor<Object, Object> {

	/** The name of the span started for a tagged record when there is no current one. */
	public static final String SPAN_NAME = IsolationRecordScope.SPAN_NAME;

	// The consumer thread processes one record at a time.
	private final ThreadLocal<RecordScope> opened = new ThreadLocal<>();

	private final IsolationRecordScope scopes;

	private final KafkaLanes lanes;

	/**
	 * Creates the interceptor.
	 * @param scopes opens each record's tag
	 */
	public IsolationRecordInterceptor(IsolationRecordScope scopes) {
		this(scopes, null);
	}

	/**
	 * Creates the interceptor that also skips the records another consumer processes, by lanes.
	 * @param scopes opens each record's tag
	 * @param lanes the lanes that decide which consumer processes a record, or {@code null} for
	 * none: every record is processed
	 * @since 0.1.0
	 */
	public IsolationRecordInterceptor(IsolationRecordScope scopes, KafkaLanes lanes) {
		this.scopes = scopes;
		this.lanes = lanes;
	}

	@Override
	public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
			Consumer<Object, Object> consumer) {
		close();
		// Usually done already by IsolationConsumerInterceptor, before any tracing read the record;
		// done again for a consumer made without it (nothing is counted twice: what it left is valid).
		ReceivedTags received = this.scopes.accept(record);
		// Before anything is opened: a skipped record is never handed to the listener, and a
		// refused one goes to the error handler.
		if (this.lanes != null && !this.lanes.admit(record, consumer, received)) {
			return null;
		}
		RecordScope scope = this.scopes.open(received);
		if (scope != RecordScope.NONE) {
			this.opened.set(scope);
		}
		return record;
	}

	@Override
	public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
		close();
	}

	@Override
	public void failure(ConsumerRecord<Object, Object> record, Exception exception, Consumer<Object, Object> consumer) {
		close();
	}

	@Override
	public void afterRecord(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
		close();
	}

	@Override
	public void clearThreadState(Consumer<?, ?> consumer) {
		close();
	}

	// Closes what intercept opened, on the thread that opened it. success and failure run inside
	// the listener's observation, so the scopes close in the order they opened.
	private void close() {
		RecordScope scope = this.opened.get();
		if (scope == null) {
			return;
		}
		this.opened.remove();
		scope.close();
	}

}
