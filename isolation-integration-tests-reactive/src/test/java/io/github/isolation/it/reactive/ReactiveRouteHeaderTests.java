package io.github.isolation.it.reactive;

import java.net.http.HttpResponse;

import io.github.isolation.it.reactive.HopApp.ReactiveClient;
import io.github.isolation.it.reactive.ReactiveChain.Instance;
import io.github.isolation.testsupport.Bridge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code isolation-route} response header through the WebFlux chain {@code a -> b -> c}:
 * each hop puts its own {@code service@group} in front of the route its {@code WebClient} call
 * answered with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReactiveRouteHeaderTests {

	private static final String ROUTE_HEADER = "isolation.debug.route-header=true";

	private final ReactiveChain chain = new ReactiveChain(Bridge.BRAVE, true);

	private final Instance a;

	private final Instance quiet;

	ReactiveRouteHeaderTests() {
		this.chain.start("c", null, null, ROUTE_HEADER);
		this.chain.start("c", "feature-x", null, ROUTE_HEADER);
		this.chain.start("b", null, "c", ROUTE_HEADER);
		this.a = this.chain.start("a", null, "b", ROUTE_HEADER);
		this.quiet = this.chain.start("a", null, "b");
	}

	@AfterAll
	void stop() {
		this.chain.close();
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldAnswerWithTheRouteEveryHopTook(ReactiveClient via) {
		HttpResponse<String> tagged = hop(this.a, via, "isolation-group", "feature-x");
		HttpResponse<String> untagged = hop(this.a, via);

		assertThat(tagged.headers().firstValue("isolation-route")).contains("a@stable > b@stable > c@feature-x");
		assertThat(untagged.headers().firstValue("isolation-route")).contains("a@stable > b@stable > c@stable");
		assertThat(tagged.body()).isEqualTo("a@stable > b@stable > c@feature-x");
	}

	@Test
	void shouldAnswerWithoutTheHeaderWhereItIsOff() {
		HttpResponse<String> response = hop(this.quiet, ReactiveClient.INSTRUMENTED, "isolation-group", "feature-x");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("isolation-route")).isEmpty();
	}

	private HttpResponse<String> hop(Instance entry, ReactiveClient via, String... headers) {
		return this.chain.send(entry, "/hop?via=" + via.via(), headers);
	}

}
