package io.github.isolation.it.reactive;

import io.github.isolation.autoconfigure.observation.RoutingMetrics;
import io.github.isolation.it.reactive.HopApp.ReactiveClient;
import io.github.isolation.it.reactive.ReactiveChain.Instance;
import io.github.isolation.it.reactive.ReactiveChain.Reply;
import io.github.isolation.testsupport.Bridge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Hooks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain {@code a -> b -> c} of WebFlux applications, each calling the next through a
 * {@code @LoadBalanced WebClient}, where {@code b} has only a stable instance and {@code c} has a
 * stable and a {@code feature-x} one: the tag must survive the fallback hop {@code b}, whether it
 * comes from the request (tracing baggage) or only from the Reactor context of {@code a}'s call,
 * with a client that tracing instruments and with a bare one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebClientChainTests {

	private static final String STABLE = "a@stable > b@stable > c@stable";

	private static final String FEATURE_X = "a@stable > b@stable > c@feature-x";

	private final Bridge bridge;

	private final ReactiveChain chain;

	private final Instance c1;

	private final Instance a0;

	private final Instance a1;

	WebClientChainTests(Bridge bridge, boolean sampled) {
		this.bridge = bridge;
		this.chain = new ReactiveChain(bridge, sampled);
		this.chain.start("c", null, null);
		this.c1 = this.chain.start("c", "feature-x", null);
		this.chain.start("b", null, "c");
		this.a0 = this.chain.start("a", null, "b");
		this.a1 = this.chain.start("a", "feature-x", "b");
	}

	@AfterAll
	void stop() {
		this.chain.close();
	}

	// The other bridge's auto-configuration is excluded by a class name that differs per Boot line,
	// and Boot ignores an excluded class it cannot find: check the bridge that remains.
	@Test
	void shouldRunOnTheTracingBridgeUnderTest() {
		assertThat(this.a0.context().getBean(Tracer.class).getClass().getName())
			.isEqualTo(this.bridge.tracerClassName());
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldRouteAnUntaggedRequestToStableOnly(ReactiveClient via) {
		for (int i = 0; i < 200; i++) {
			// A tagged request before each untagged one: a tag left behind in a reused context would show.
			assertThat(this.chain.call(this.a0, via, "isolation-group", "feature-x")).isEqualTo(ok(FEATURE_X));
			int featureX = this.c1.hits();

			assertThat(this.chain.call(this.a0, via)).as("untagged request %d", i).isEqualTo(ok(STABLE));
			assertThat(this.c1.hits()).isEqualTo(featureX);
		}
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldKeepTheTagOfTheIsolationGroupHeaderThroughAFallbackHop(ReactiveClient via) {
		assertThat(this.chain.call(this.a0, via, "isolation-group", "feature-x")).isEqualTo(ok(FEATURE_X));
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldKeepTheTagOfTheW3cBaggageEntryThroughAFallbackHop(ReactiveClient via) {
		assertThat(this.chain.call(this.a0, via, "baggage", "tenant=acme,isolation-group=feature-x"))
			.isEqualTo(ok(FEATURE_X));
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldPreferTheIsolationGroupHeaderToTheW3cBaggageEntry(ReactiveClient via) {
		assertThat(this.chain.call(this.a0, via, "isolation-group", "feature-x", "baggage", "isolation-group=stable"))
			.isEqualTo(ok(FEATURE_X));
		assertThat(this.chain.call(this.a0, via, "isolation-group", "stable", "baggage", "isolation-group=feature-x"))
			.isEqualTo(ok(STABLE));
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldRouteAnUntaggedRequestByTheGroupInTheReactorContextAlone(ReactiveClient via) {
		assertThat(this.chain.get(this.a0, "/hop?via=" + via.via() + "&group=feature-x")).isEqualTo(ok(FEATURE_X));
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldPreferTheGroupInTheReactorContextToTheRequestsTag(ReactiveClient via) {
		assertThat(this.chain.get(this.a0, "/hop?via=" + via.via() + "&group=stable", "isolation-group", "feature-x"))
			.isEqualTo(ok(STABLE));
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldGiveAnUntaggedRequestTheGroupOfTheInstanceItEnters(ReactiveClient via) {
		assertThat(this.chain.call(this.a1, via)).isEqualTo(ok("a@feature-x > b@stable > c@feature-x"));
		assertThat(this.chain.call(this.a1, via, "isolation-group", "stable"))
			.isEqualTo(ok("a@feature-x > b@stable > c@stable"));
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldCarryTheFailFastListThroughAFallbackHop(ReactiveClient via) {
		// feature-y has no instance of b or c: b falls back, and c, being fail-fast, fails the call at b.
		Reply reply = this.chain.call(this.a0, via, "isolation-group", "feature-y", "baggage",
				"isolation-fail-fast=c%2Cd");

		assertThat(reply.status()).isEqualTo(502);
		assertThat(reply.body()).startsWith("a@stable failed: b@stable failed: ")
			.contains("'c'", "feature-y", "fail-fast");
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldDropAMalformedTagAndCountItWithoutFailingTheRequest(ReactiveClient via) {
		int featureX = this.c1.hits();
		double before = dropped(this.a0, "invalid_characters");

		assertThat(this.chain.call(this.a0, via, "isolation-group", "Feature-X")).isEqualTo(ok(STABLE));
		assertThat(this.chain.call(this.a0, via, "baggage", "isolation-group=feature%20x")).isEqualTo(ok(STABLE));

		assertThat(dropped(this.a0, "invalid_characters")).isEqualTo(before + 2);
		assertThat(this.c1.hits()).isEqualTo(featureX);
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldFindTheTagWithAutomaticContextPropagationOnAsWell(ReactiveClient via) {
		Hooks.enableAutomaticContextPropagation();
		try {
			assertThat(this.chain.call(this.a0, via, "isolation-group", "feature-x")).isEqualTo(ok(FEATURE_X));
			assertThat(this.chain.get(this.a0, "/hop?via=" + via.via() + "&group=feature-x")).isEqualTo(ok(FEATURE_X));
			assertThat(this.chain.call(this.a1, via)).isEqualTo(ok("a@feature-x > b@stable > c@feature-x"));
			assertThat(this.chain.call(this.a0, via)).isEqualTo(ok(STABLE));
		}
		finally {
			Hooks.disableAutomaticContextPropagation();
		}
	}

	private static Reply ok(String route) {
		return new Reply(200, route);
	}

	private static double dropped(Instance instance, String reason) {
		Counter counter = instance.context()
			.getBean(MeterRegistry.class)
			.find(RoutingMetrics.DROPPED_TAGS)
			.tags("field", "isolation-group", "reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
