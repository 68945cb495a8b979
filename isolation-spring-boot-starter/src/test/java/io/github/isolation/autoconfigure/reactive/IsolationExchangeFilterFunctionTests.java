package io.github.isolation.autoconfigure.reactive;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.github.isolation.autoconfigure.BaggageIsolationContext;
import io.github.isolation.autoconfigure.BraveBaggage;
import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationExchangeFilterFunction} on real Brave baggage and Micrometer
 * observations, without automatic context propagation.
 */
class IsolationExchangeFilterFunctionTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private final BraveBaggage brave = new BraveBaggage();

	private final Tracer tracer = this.brave.tracer();

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final AtomicReference<ClientRequest> sent = new AtomicReference<>();

	IsolationExchangeFilterFunctionTests() {
		this.registry.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(
					new PropagatingReceiverTracingObservationHandler<>(this.tracer, new BravePropagator(this.brave.tracing())),
					new DefaultTracingObservationHandler(this.tracer)));
	}

	@AfterEach
	void closeTracing() {
		this.brave.close();
	}

	@Test
	void shouldTakeTheTagFromTheBaggageOfTheObservationInTheReactorContext() {
		// given
		Observation server = received(Map.of(IsolationTags.GROUP, "feature-x", IsolationTags.FAIL_FAST, "c"));

		// when
		send(filter(IsolationGroup.STABLE), (context) -> context.put(ObservationThreadLocalAccessor.KEY, server));

		// then
		assertThat(sentHeader(IsolationTags.GROUP)).isEqualTo("feature-x");
		assertThat(sentHeader(IsolationTags.FAIL_FAST)).isEqualTo("c");
		assertThat(this.tracer.currentSpan()).as("span left current").isNull();
		server.stop();
	}

	@Test
	void shouldTakeTheTagFromTheBaggageOfTheCallingThreadWhenTheClientHasNoObservationRegistry() {
		// given: a servlet request's observation is current; a bare client's no-op one is in the Reactor context
		Observation server = received(Map.of(IsolationTags.GROUP, "feature-x"));
		Observation bareClient = Observation.createNotStarted("client", ObservationRegistry.NOOP).start();

		// when
		try (Observation.Scope scope = server.openScope()) {
			send(filter(IsolationGroup.STABLE),
					(context) -> context.put(ObservationThreadLocalAccessor.KEY, bareClient));

			// then
			assertThat(this.registry.getCurrentObservation()).as("observation left current").isSameAs(server);
		}
		assertThat(sentHeader(IsolationTags.GROUP)).isEqualTo("feature-x");
		server.stop();
	}

	@Test
	void shouldTakeTheInstancesOwnGroupWithoutBaggage() {
		send(filter(FEATURE_X), Function.identity());

		assertThat(sentHeader(IsolationTags.GROUP)).isEqualTo("feature-x");
		assertThat(sentHeader(IsolationTags.FAIL_FAST)).isNull();
	}

	@Test
	void shouldSendNoTagForAnUntaggedCallFromAStableInstance() {
		send(filter(IsolationGroup.STABLE), Function.identity());

		assertThat(this.sent.get().headers().getFirst(IsolationTags.GROUP)).isNull();
		assertThat(this.sent.get().headers().getFirst(IsolationTags.FAIL_FAST)).isNull();
	}

	@Test
	void shouldPreferTheTagOfTheRequestBeingServedToTheBaggage() {
		// given
		Observation server = received(Map.of(IsolationTags.GROUP, "feature-y"));
		IsolationTag requestTag = new IsolationTag(FEATURE_X, FailFastServices.of(List.of("c")));

		// when
		send(filter(IsolationGroup.STABLE), (context) -> IsolationReactorContext.withRequestTag(requestTag)
			.apply(context.put(ObservationThreadLocalAccessor.KEY, server)));

		// then
		assertThat(sentHeader(IsolationTags.GROUP)).isEqualTo("feature-x");
		assertThat(sentHeader(IsolationTags.FAIL_FAST)).isEqualTo("c");
		server.stop();
	}

	@Test
	void shouldLeaveATagHeaderTheRequestAlreadyHasAlone() {
		send(filter(FEATURE_X), ClientRequest.create(HttpMethod.GET, URI.create("http://b/hop"))
			.header(IsolationTags.GROUP, "feature-y")
			.build(), Function.identity());

		assertThat(sentHeader(IsolationTags.GROUP)).isEqualTo("feature-y");
	}

	@Test
	void shouldReplaceEveryTagTheRequestCarriesWithTheTagChosenInTheReactorContext() {
		// given: what tracing wrote from the request's baggage
		ClientRequest traced = ClientRequest.create(HttpMethod.GET, URI.create("http://b/hop"))
			.header(IsolationTags.GROUP, "feature-x")
			.header(IsolationTags.FAIL_FAST, "c")
			.header("baggage", "tenant=acme,isolation-group=feature-x,isolation-fail-fast=c")
			.header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
			.build();

		// when
		send(filter(FEATURE_X), traced, IsolationReactorContext.withGroup("stable"));

		// then
		assertThat(this.sent.get().headers().getValuesAsList(IsolationTags.GROUP)).containsExactly("stable");
		assertThat(this.sent.get().headers().getFirst(IsolationTags.FAIL_FAST)).isNull();
		assertThat(this.sent.get().headers().getValuesAsList("baggage")).containsExactly("tenant=acme");
		assertThat(sentHeader("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
	}

	@Test
	void shouldCarryAFailFastListChosenInTheReactorContext() {
		IsolationTag tag = new IsolationTag(FEATURE_X, FailFastServices.of(List.of("c", "d")));

		send(filter(IsolationGroup.STABLE), IsolationReactorContext.withTag(tag));

		assertThat(sentHeader(IsolationTags.GROUP)).isEqualTo("feature-x");
		assertThat(FailFastServices.parse(sentHeader(IsolationTags.FAIL_FAST), (rejection) -> {
		})).isEqualTo(tag.failFast());
	}

	private IsolationExchangeFilterFunction filter(IsolationGroup localGroup) {
		return new IsolationExchangeFilterFunction(new BaggageIsolationContext(this.tracer, () -> localGroup));
	}

	// A server observation continuing a request received with these headers, as tracing starts it.
	private Observation received(Map<String, String> headers) {
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>((carrier, key) -> carrier.get(key));
		context.setCarrier(headers);
		return Observation.createNotStarted("received", () -> context, this.registry).start();
	}

	private void send(IsolationExchangeFilterFunction filter, Function<Context, Context> context) {
		send(filter, ClientRequest.create(HttpMethod.GET, URI.create("http://b/hop")).build(), context);
	}

	private void send(IsolationExchangeFilterFunction filter, ClientRequest request,
			Function<Context, Context> context) {
		filter.filter(request, (tagged) -> {
			this.sent.set(tagged);
			return Mono.just(ClientResponse.create(HttpStatus.OK).build());
		}).contextWrite(context).block();
	}

	private String sentHeader(String name) {
		return this.sent.get().headers().getFirst(name);
	}

}
