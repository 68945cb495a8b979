package io.github.isolation.autoconfigure.task;

import java.util.List;
import java.util.function.Supplier;

import brave.Tracing;
import brave.baggage.BaggageField;
import brave.baggage.BaggagePropagation;
import brave.baggage.BaggagePropagationConfig.SingleBaggageField;
import brave.handler.SpanHandler;
import brave.propagation.B3Propagation;
import brave.propagation.ThreadLocalCurrentTraceContext;
import io.github.isolation.core.IsolationTags;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;

/**
 * Real Brave tracing behind Micrometer's bridge, with the isolation fields as remote baggage.
 */
final class BraveTracer implements AutoCloseable {

	private final Tracing tracing = Tracing.newBuilder()
		// any handler replaces the default one, which logs every span
		.addSpanHandler(new SpanHandler() {
		})
		.currentTraceContext(ThreadLocalCurrentTraceContext.create())
		.propagationFactory(BaggagePropagation.newFactoryBuilder(B3Propagation.FACTORY)
			.add(SingleBaggageField.remote(BaggageField.create(IsolationTags.GROUP)))
			.add(SingleBaggageField.remote(BaggageField.create(IsolationTags.FAIL_FAST)))
			.build())
		.build();

	private final Tracer tracer = new io.micrometer.tracing.brave.bridge.BraveTracer(this.tracing.tracer(),
			new BraveCurrentTraceContext(this.tracing.currentTraceContext()),
			new BraveBaggageManager(List.of(), List.of(IsolationTags.GROUP, IsolationTags.FAIL_FAST)));

	Tracer tracer() {
		return this.tracer;
	}

	/**
	 * Runs an action in a new span with the given baggage, as the library's servlet filter puts
	 * a tag in place for a request: when the action returns, the span ends and the baggage is
	 * taken out of its trace context again.
	 * @param field the baggage field
	 * @param value its value
	 * @param action the action
	 * @param <T> what it returns
	 * @return what it returned
	 */
	<T> T inRequestWithBaggage(String field, String value, Supplier<T> action) {
		Span span = this.tracer.nextSpan().name("request").start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span);
				BaggageInScope baggage = this.tracer.createBaggageInScope(field, value)) {
			return action.get();
		}
		finally {
			span.end();
		}
	}

	@Override
	public void close() {
		this.tracing.close();
	}

}
