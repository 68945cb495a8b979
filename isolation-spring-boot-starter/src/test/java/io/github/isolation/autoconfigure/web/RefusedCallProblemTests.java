package io.github.isolation.autoconfigure.web;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.RouteOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The problem detail of a refused call: {@link RefusedCallProblem}.
 */
class RefusedCallProblemTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	@Test
	void shouldDescribeAFailFastRefusalWithItsServiceGroupOutcomeAndAvailableGroups() {
		IsolationRoutingException refused = refused("inventory", RouteOutcome.FAIL_FAST,
				Set.of(IsolationGroup.STABLE, IsolationGroup.of("hotfix-1")));

		assertThat(RefusedCallProblem.json(refused)).isEqualTo("{\"type\":\"urn:isolation:fail-fast\","
				+ "\"title\":\"Fail-fast service without an instance in the group\",\"status\":503,\"detail\":\""
				+ refused.getMessage() + "\",\"service\":\"inventory\",\"group\":\"feature-x\","
				+ "\"outcome\":\"fail-fast\",\"availableGroups\":[\"hotfix-1\",\"stable\"]}");
	}

	@Test
	void shouldDescribeARefusalForWantOfAnyInstance() {
		IsolationRoutingException refused = refused("inventory", RouteOutcome.NO_INSTANCE, Set.of());

		assertThat(RefusedCallProblem.json(refused)).startsWith("{\"type\":\"urn:isolation:no-instance\"")
			.contains("\"title\":\"No instance for the isolation group\"")
			.contains("\"detail\":\"No instance of 'inventory' for isolation group 'feature-x' (discovery returned none)")
			.endsWith("\"outcome\":\"no-instance\",\"availableGroups\":[]}");
	}

	@Test
	void shouldEscapeEverythingOutsidePrintableAsciiAndTheJsonSpecials() {
		IsolationRoutingException refused = refused("in\"ven\\tory\u00e9\n", RouteOutcome.NO_INSTANCE, Set.of());

		String json = RefusedCallProblem.json(refused);

		assertThat(json).contains("\"service\":\"in\\\"ven\\\\tory\\u00e9\\u000a\"")
			.doesNotContain("\n")
			.matches("[\\x20-\\x7e]*");
	}

	@Test
	void shouldFindTheRefusalAmongTheCausesOfWhatAHandlerThrew() {
		IsolationRoutingException refused = refused("inventory", RouteOutcome.FAIL_FAST, Set.of());
		RuntimeException wrapped = new IllegalStateException("call failed", new CompletionException(refused));

		assertThat(RefusedCallProblem.find(refused)).isSameAs(refused);
		assertThat(RefusedCallProblem.find(wrapped)).isSameAs(refused);
		assertThat(RefusedCallProblem.find(new IllegalStateException("other"))).isNull();
		assertThat(RefusedCallProblem.find(null)).isNull();
	}

	@Test
	void shouldStopAtACauseChainThatLoops() {
		RuntimeException first = new RuntimeException("first");
		RuntimeException second = new RuntimeException("second", first);
		first.initCause(second);

		assertThat(RefusedCallProblem.find(second)).isNull();
	}

	private static IsolationRoutingException refused(String service, RouteOutcome outcome,
			Set<IsolationGroup> available) {
		return new IsolationRoutingException(new RouteDecision<>(service, FEATURE_X, outcome, List.of(), available));
	}

}
