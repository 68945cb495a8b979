package io.github.isolation.it;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainClient;
import io.github.isolation.testsupport.Bridge;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain {@code a -> b -> c} over real HTTP, for every client a hop can use: {@code a} and
 * {@code c} have a stable and a {@code feature-x} instance, {@code b} only a stable one, so the
 * middle hop is always a fallback hop. Subclasses pick the tracing bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChainRoutingTests {

	private final Bridge bridge;

	private final Chain chain;

	private final Instance c0;

	private final Instance c1;

	private final Instance a0;

	private final Instance a1;

	ChainRoutingTests(Bridge bridge, boolean sampled) {
		this.bridge = bridge;
		this.chain = new Chain(bridge, sampled);
		this.c0 = this.chain.start("c", null, null);
		this.c1 = this.chain.start("c", "feature-x", null);
		this.chain.start("b", "stable", "c");
		this.a0 = this.chain.start("a", "stable", "b");
		this.a1 = this.chain.start("a", "feature-x", "b");
	}

	@AfterAll
	void stopChain() {
		this.chain.close();
	}

	@Test
	void shouldRunOnTheTracingBridgeUnderTest() {
		assertThat(this.a0.context().getBean(Tracer.class).getClass().getName())
			.isEqualTo(this.bridge.tracerClassName());
	}

	@Test
	void shouldRegisterTheTagForRemotePropagationWithoutAnyTracingProperty() {
		Tracer tracer = this.a0.context().getBean(Tracer.class);
		Propagator propagator = this.a0.context().getBean(Propagator.class);
		Map<String, String> carrier = new LinkedHashMap<>();

		Span span = tracer.nextSpan().start();
		try (Tracer.SpanInScope inScope = tracer.withSpan(span);
				BaggageInScope group = tracer.createBaggageInScope("isolation-group", "feature-x");
				BaggageInScope failFast = tracer.createBaggageInScope("isolation-fail-fast", "b,c")) {
			propagator.inject(tracer.currentTraceContext().context(), carrier, Map::put);
		}
		finally {
			span.end();
		}

		assertThat(carrier).containsEntry("isolation-group", "feature-x").containsEntry("isolation-fail-fast", "b,c");
	}

	@ParameterizedTest
	@EnumSource(ChainClient.class)
	void shouldKeepTheTagThroughTheFallbackHopWhenTaggedWithW3cBaggage(ChainClient via) {
		Reply reply = this.chain.call(this.a0, via, "baggage", "isolation-group=feature-x");

		assertThat(reply.body()).isEqualTo("a@stable > b@stable > c@feature-x");
	}

	@ParameterizedTest
	@EnumSource(ChainClient.class)
	void shouldKeepTheTagThroughTheFallbackHopWhenTaggedWithTheSingleHeader(ChainClient via) {
		Reply reply = this.chain.call(this.a0, via, "isolation-group", "feature-x");

		assertThat(reply.body()).isEqualTo("a@stable > b@stable > c@feature-x");
	}

	@ParameterizedTest
	@EnumSource(ChainClient.class)
	void shouldNeverSendUntaggedRequestsToAFeatureInstance(ChainClient via) {
		int featureHitsBefore = this.c1.hits();

		for (int i = 0; i < 200; i++) {
			Reply reply = this.chain.call(this.a0, via);
			assertThat(reply.body()).isEqualTo("a@stable > b@stable > c@stable");
		}

		assertThat(this.c1.hits()).isEqualTo(featureHitsBefore);
	}

	@ParameterizedTest
	@EnumSource(ChainClient.class)
	void shouldFailAtOnceWhenAFailFastServiceHasNoInstanceInTheGroup(ChainClient via) {
		int stableHitsBefore = this.c0.hits();

		Reply reply = this.chain.call(this.a0, via, "isolation-group", "feature-y", "isolation-fail-fast", "c");

		assertThat(reply.status()).isEqualTo(502);
		assertThat(reply.body()).startsWith("a@stable failed: b@stable failed: IsolationRoutingException: ")
			.contains("No instance of 'c' in isolation group 'feature-y' and 'c' is fail-fast")
			.contains("instances only in feature-x, stable")
			.contains("start one in 'feature-y' or remove 'c' from the fail-fast list");
		assertThat(this.c0.hits()).isEqualTo(stableHitsBefore);
	}

	@ParameterizedTest
	@EnumSource(ChainClient.class)
	void shouldCarryTheFailFastListInW3cBaggage(ChainClient via) {
		int stableHitsBefore = this.c0.hits();

		Reply reply = this.chain.call(this.a0, via, "baggage", "isolation-group=feature-y,isolation-fail-fast=unrelated%2Cc");

		assertThat(reply.body()).contains("No instance of 'c' in isolation group 'feature-y' and 'c' is fail-fast");
		assertThat(this.c0.hits()).isEqualTo(stableHitsBefore);
	}

	@ParameterizedTest
	@EnumSource(ChainClient.class)
	void shouldFallBackForServicesNotFailFastAndUseTheGroupForThoseThatAre(ChainClient via) {
		Reply reply = this.chain.call(this.a0, via, "isolation-group", "feature-x", "isolation-fail-fast", "c");

		assertThat(reply.body()).isEqualTo("a@stable > b@stable > c@feature-x");
	}

	@ParameterizedTest
	@EnumSource(ChainClient.class)
	void shouldColourUntaggedRequestsEnteringAFeatureInstanceWithItsGroup(ChainClient via) {
		Reply reply = this.chain.call(this.a1, via);

		assertThat(reply.body()).isEqualTo("a@feature-x > b@stable > c@feature-x");
	}

	@ParameterizedTest
	@EnumSource(ChainClient.class)
	void shouldLetAnExplicitStableTagWinOverTheGroupOfTheEntryInstance(ChainClient via) {
		Reply reply = this.chain.call(this.a1, via, "isolation-group", "stable");

		assertThat(reply.body()).isEqualTo("a@feature-x > b@stable > c@stable");
	}

	@ParameterizedTest
	@EnumSource(ChainClient.class)
	void shouldTreatAMalformedTagAsUntagged(ChainClient via) {
		Reply reply = this.chain.call(this.a0, via, "isolation-group", "Feature-X;drop");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body()).isEqualTo("a@stable > b@stable > c@stable");
	}

}
