package io.github.isolation.kafka;

import java.util.ArrayList;
import java.util.List;

import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.ReceivedTags;
import io.github.isolation.kafka.lanes.KafkaLanes;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
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
 * record ({@value #SPAN_NAME}), ended when the record is done.
 *
 * <p>With lanes on ({@link KafkaLanes}), it first asks whether this consumer processes the
 * record at all, and returns {@code null} (Spring Kafka then skips the record and commits past
 * it) for a record another consumer processes.
 *
 * <p>Batch listeners are not covered: a batch holds records of several groups and no hook runs
 * per record, so a batch listener runs with this instance's own group.
 *
 * @since 0.1.0
 */
public class IsolationRecordInterceptor implements RecordInterceptor<Object, Object> {

	/** The name of the span started for a tagged record when there is no current one. */
	public static final String SPAN_NAME = "isolation-record";

	// The consumer thread processes one record at a time.
	private final ThreadLocal<Opened> opened = new ThreadLocal<>();

	private final Tracer tracer;

	private final RoutingListeners listeners;

	private final KafkaLanes lanes;

	/**
	 * Creates the interceptor.
	 * @param tracer the tracer whose baggage the tag goes into
	 * @param listeners told of every malformed tag dropped
	 */
	public IsolationRecordInterceptor(Tracer tracer, RoutingListeners listeners) {
		this(tracer, listeners, null);
	}

	/**
	 * Creates the interceptor that also skips the records another consumer processes, by lanes.
	 * @param tracer the tracer whose baggage the tag goes into
	 * @param listeners told of every malformed tag dropped
	 * @param lanes the lanes that decide which consumer processes a record, or {@code null} for
	 * none: every record is processed
	 * @since 0.1.0
	 */
	public IsolationRecordInterceptor(Tracer tracer, RoutingListeners listeners, KafkaLanes lanes) {
		this.tracer = tracer;
		this.listeners = listeners;
		this.lanes = lanes;
	}

	@Override
	public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
			Consumer<Object, Object> consumer) {
		close();
		// Usually done already by IsolationConsumerInterceptor, before any tracing read the record;
		// done again for a consumer made without it (nothing is counted twice: what it left is valid).
		ReceivedTags received = RecordTags.acceptOnly(record.headers(), this.listeners);
		// Before anything is opened: a skipped record is never handed to the listener, and a
		// refused one goes to the error handler.
		if (this.lanes != null && !this.lanes.admit(record, consumer, received)) {
			return null;
		}
		if (received == ReceivedTags.NONE) {
			return record;
		}
		Opened opened = new Opened();
		this.opened.set(opened);
		if (this.tracer.currentSpan() == null) {
			opened.span = this.tracer.nextSpan().name(SPAN_NAME).start();
			opened.spanScope = this.tracer.withSpan(opened.span);
		}
		if (received.group() != null) {
			opened.baggage.add(this.tracer.createBaggageInScope(IsolationTags.GROUP, received.groupValue()));
		}
		if (!received.failFast().isEmpty()) {
			opened.baggage.add(this.tracer.createBaggageInScope(IsolationTags.FAIL_FAST, received.failFastValue()));
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

	// Closes what intercept opened, innermost first, on the thread that opened it. success and
	// failure run inside the listener's observation, so the scopes close in the order they opened.
	private void close() {
		Opened opened = this.opened.get();
		if (opened == null) {
			return;
		}
		this.opened.remove();
		for (int i = opened.baggage.size() - 1; i >= 0; i--) {
			opened.baggage.get(i).close();
		}
		if (opened.spanScope != null) {
			opened.spanScope.close();
			opened.span.end();
		}
	}

	private static final class Opened {

		private final List<BaggageInScope> baggage = new ArrayList<>(2);

		private Span span;

		private Tracer.SpanInScope spanScope;

	}

}
