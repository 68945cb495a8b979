package io.github.isolation.it.reactive;

import java.net.http.HttpResponse;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
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
 * What a caller sees when a WebFlux handler's call is refused: {@code a} (stable) calls
 * {@code b} (stable only), which calls {@code c} ({@code feature-x} only). The refusal
 * propagates out of {@code /unhandled}, which has no exception handler of its own, and becomes
 * {@code 503} with a problem detail; {@code /hop}'s own {@code @ExceptionHandler} still answers
 * for it; with {@code isolation.problem-details.enabled=false} Spring Boot's error handling
 * sees the exception as it is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReactiveRefusedCallAnswerTests {

	private static final String[] FAIL_FAST_B = { "isolation-group", "feature-y", "isolation-fail-fast", "b" };

	private final ReactiveChain chain = new ReactiveChain(Bridge.BRAVE, true);

	private final Instance a;

	private final Instance b;

	private final Instance plainA;

	ReactiveRefusedCallAnswerTests() {
		this.chain.start("c", "feature-x", null);
		this.b = this.chain.start("b", "stable", "c");
		this.a = this.chain.start("a", "stable", "b");
		this.plainA = this.chain.start("a", "stable", "b", "isolation.problem-details.enabled=false");
	}

	@AfterAll
	void stopChain() {
		this.chain.close();
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldAnswer503WithAProblemDetailWhenAFailFastCallIsRefused(ReactiveClient via) {
		HttpResponse<String> response = this.chain.send(this.a, "/unhandled?via=" + via.via(), FAIL_FAST_B);

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		String body = response.body();
		assertThat((String) JsonPath.read(body, "$.type")).isEqualTo("urn:isolation:fail-fast");
		assertThat((Integer) JsonPath.read(body, "$.status")).isEqualTo(503);
		assertThat((String) JsonPath.read(body, "$.detail"))
			.startsWith("No instance of 'b' in isolation group 'feature-y' and 'b' is fail-fast");
		assertThat((String) JsonPath.read(body, "$.service")).isEqualTo("b");
		assertThat((String) JsonPath.read(body, "$.group")).isEqualTo("feature-y");
		assertThat((String) JsonPath.read(body, "$.outcome")).isEqualTo("fail-fast");
		assertThat((List<String>) JsonPath.read(body, "$.availableGroups")).containsExactly("stable");
	}

	@Test
	void shouldAnswer503WithAProblemDetailWhenNoInstanceCanTakeTheCall() {
		HttpResponse<String> response = this.chain.send(this.b, "/unhandled");

		assertThat(response.statusCode()).isEqualTo(503);
		String body = response.body();
		assertThat((String) JsonPath.read(body, "$.type")).isEqualTo("urn:isolation:no-instance");
		assertThat((String) JsonPath.read(body, "$.service")).isEqualTo("c");
		assertThat((String) JsonPath.read(body, "$.group")).isEqualTo("stable");
		assertThat((List<String>) JsonPath.read(body, "$.availableGroups")).containsExactly("feature-x");
	}

	@Test
	void shouldLeaveTheRefusalToTheApplicationsOwnExceptionHandler() {
		HttpResponse<String> response = this.chain.send(this.a, "/hop", FAIL_FAST_B);

		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.body()).startsWith("a@stable failed: IsolationRoutingException: No instance of 'b'");
	}

	@Test
	void shouldLeaveTheRefusalToTheApplicationsErrorHandlingWhenSwitchedOff() {
		HttpResponse<String> response = this.chain.send(this.plainA, "/unhandled", FAIL_FAST_B);

		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.headers().firstValue("Content-Type")).isNotEqualTo("application/problem+json");
	}

}
