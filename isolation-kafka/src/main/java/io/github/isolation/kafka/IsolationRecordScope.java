package io.github.isolation.kafka;

import java.util.ArrayList;
import java.util.List;

import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.ReceivedTags;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs code in a record's isolation tag: while the scope that {@link #open(ConsumerRecord)}
 * returns is open, the record's tag is the current baggage, so the calls the code makes are
 * routed in the record's group and the records it sends carry the tag on. For a batch listener,
 * where Spring Kafka runs no hook per record, open one scope per record:
 *
 * <pre class="code">
 * &#64;KafkaListener(topics = "orders", batch = "true")
 * void onBatch(List&lt;ConsumerRecord&lt;String, String&gt;&gt; records) {
 *     for (ConsumerRecord&lt;String, String&gt; record : records) {
 *         try (RecordScope scope = this.recordScope.open(record)) {
 *             this.pricing.price(record.value());
 *         }
 *     }
 * }
 * </pre>
 *
 * <p>The tag is read exactly as {@link IsolationRecordInterceptor} reads it for a record
 * listener: the {@value IsolationTags#GROUP} (and {@value IsolationTags#FAIL_FAST}) header first,
 * then the entry of the W3C {@code baggage} header; a malformed value is dropped, counted as
 * {@code isolation.tags.dropped}, and taken off the record, which is then processed as if it did
 * not carry it. A record without a tag changes nothing: the code runs in whatever is current,
 * outside any request this instance's own group. Baggage needs a trace context: without a current
 * span, a scope of a tagged record starts one ({@value #SPAN_NAME}), ended when the scope closes.
 *
 * <p>A scope belongs to the thread that opened it and must be closed there, innermost scope
 * first (try-with-resources does both); code after it runs in the tag it ran in before.
 *
 * @since 0.1.0
 */
public class IsolationRecordScope {

	/** The name of the span started for a tagged record when there is no current one. */
	public static final String SPAN_NAME = "isolation-record";

	private final Tracer tracer;

	private final RoutingListeners listeners;

	/**
	 * Creates the scopes.
	 * @param tracer the tracer whose baggage the tag goes into
	 * @param listeners told of every malformed tag dropped
	 */
	public IsolationRecordScope(Tracer tracer, RoutingListeners listeners) {
		this.tracer = tracer;
		this.listeners = listeners;
	}

	/**
	 * Makes the record's tag the current baggage until the returned scope is closed.
	 * @param record the record whose tag to take; refused values are taken off its headers
	 * @return the scope to close, on this thread, when the code for the record is done
	 */
	public RecordScope open(ConsumerRecord<?, ?> record) {
		return open(accept(record));
	}

	/**
	 * Runs code in the record's tag.
	 * @param record the record whose tag to take; refused values are taken off its headers
	 * @param action what to run
	 */
	public void run(ConsumerRecord<?, ?> record, Runnable action) {
		try (RecordScope scope = open(record)) {
			action.run();
		}
	}

	/**
	 * Reads a record's tag and leaves on the record only what was accepted.
	 * @param record the record
	 * @return the accepted tags
	 */
	ReceivedTags accept(ConsumerRecord<?, ?> record) {
		return RecordTags.acceptOnly(record.headers(), this.listeners);
	}

	/**
	 * Makes accepted tags the current baggage until the returned scope is closed.
	 * @param tags the tags, as {@link #accept(ConsumerRecord)} returned them
	 * @return the scope to close
	 */
	RecordScope open(ReceivedTags tags) {
		if (tags == ReceivedTags.NONE) {
			return RecordScope.NONE;
		}
		Opened opened = new Opened();
		if (this.tracer.currentSpan() == null) {
			opened.span = this.tracer.nextSpan().name(SPAN_NAME).start();
			opened.spanScope = this.tracer.withSpan(opened.span);
		}
		if (tags.group() != null) {
			opened.baggage.add(this.tracer.createBaggageInScope(IsolationTags.GROUP, tags.groupValue()));
		}
		if (!tags.failFast().isEmpty()) {
			opened.baggage.add(this.tracer.createBaggageInScope(IsolationTags.FAIL_FAST, tags.failFastValue()));
		}
		return opened;
	}

	/**
	 * A record's tag as the current baggage, until closed.
	 */
	public interface RecordScope extends AutoCloseable {

		/** The scope of a record without a tag: nothing to close. */
		RecordScope NONE = () -> {
		};

		/**
		 * Ends the record's tag: what was current before it is current again. Closing twice does
		 * nothing more.
		 */
		@Override
		void close();

	}

	private static final class Opened implements RecordScope {

		private final List<BaggageInScope> baggage = new ArrayList<>(2);

		private Span span;

		private Tracer.SpanInScope spanScope;

		private boolean closed;

		// Innermost first: each scope restores what was current when it opened.
		@Override
		public void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			for (int i = this.baggage.size() - 1; i >= 0; i--) {
				this.baggage.get(i).close();
			}
			if (this.spanScope != null) {
				this.spanScope.close();
				this.span.end();
			}
		}

	}

}
