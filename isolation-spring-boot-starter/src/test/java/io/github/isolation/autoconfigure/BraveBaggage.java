package io.github.isolation.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import brave.Tracing;
import brave.baggage.BaggageField;
import brave.baggage.BaggagePropagation;
import brave.baggage.BaggagePropagationConfig.SingleBaggageField;
import brave.handler.SpanHandler;
import brave.propagation.B3Propagation;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContextOrSamplingFlags;
import io.github.isolation.core.IsolationTags;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveSpan;
import io.micrometer.tracing.brave.bridge.BraveTracer;

/**
 * Real Brave tracing behind Micrometer's bridge, with the two isolation fields declared as remote
 * baggage as the starter's environment post-processor makes Spring Boot declare them.
 */
public final class BraveBaggage implements AutoCloseable {

	private final Tracing tracing;

	private final BraveTracer tracer;

	public BraveBaggage() {
		this.tracing = Tracing.newBuilder()
			.localServiceName("test")
			// any handler replaces the default one, which logs every span
			.addSpanHandler(new SpanHandler() {
			})
			.currentTraceContext(ThreadLocalCurrentTraceContext.create())
			.propagationFactory(BaggagePropagation.newFactoryBuilder(B3Propagation.FACTORY)
				.add(SingleBaggageField.remote(BaggageField.create(IsolationTags.GROUP)))
				.add(SingleBaggageField.remote(BaggageField.create(IsolationTags.FAIL_FAST)))
				.build())
			.build();
		this.tracer = new BraveTracer(this.tracing.tracer(),
				new BraveCurrentTraceContext(this.tracing.currentTraceContext()),
				new BraveBaggageManager(List.of(), List.of(IsolationTags.GROUP, IsolationTags.FAIL_FAST)));
	}

	public Tracer tracer() {
		return this.tracer;
	}

	/**
	 * The Brave tracing behind the tracer.
	 * @return the tracing
	 */
	public Tracing tracing() {
		return this.tracing;
	}

	/**
	 * Runs an action in a new current span.
	 * @param action the action
	 * @param <T> what it returns
	 * @return what it returned
	 */
	<T> T inSpan(Supplier<T> action) {
		Span span = this.tracer.nextSpan().name("test").start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			return action.get();
		}
		finally {
			span.end();
		}
	}

	/**
	 * Runs an action in a new current span with one baggage entry.
	 * @param field the baggage field
	 * @param value its value
	 * @param action the action
	 * @param <T> what it returns
	 * @return what it returned
	 */
	public <T> T inSpanWithBaggage(String field, String value, Supplier<T> action) {
		return inSpan(() -> {
			try (BaggageInScope baggage = this.tracer.createBaggageInScope(field, value)) {
				return action.get();
			}
		});
	}

	/**
	 * Runs an action in a span that continues a request received with the given headers, as a
	 * server's tracing instrumentation does.
	 * @param headers the headers the request arrived with
	 * @param action the action
	 * @param <T> what it returns
	 * @return what it returned
	 */
	<T> T inSpanReceivedWith(Map<String, String> headers, Supplier<T> action) {
		TraceContextOrSamplingFlags extracted = this.tracing.propagation()
			.<Map<String, String>>extractor(Map::get)
			.extract(headers);
		Span span = BraveSpan.fromBrave(this.tracing.tracer().nextSpan(extracted).name("received").start());
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			return action.get();
		}
		finally {
			span.end();
		}
	}

	/**
	 * The current value of a baggage field.
	 * @param field the field
	 * @return its value, or {@code null}
	 */
	String current(String field) {
		io.micrometer.tracing.Baggage baggage = this.tracer.getBaggage(field);
		return (baggage != null) ? baggage.get() : null;
	}

	@Override
	public void close() {
		this.tracing.close();
	}

}
