package io.github.isolation.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class RouteDecisionTest {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	@ParameterizedTest
	@EnumSource(value = RouteOutcome.class, names = { "OWN_GROUP", "STABLE", "FALLBACK" })
	void shouldReturnTheInstancesOfARoutableDecision(RouteOutcome outcome) {
		// given
		RouteDecision<String> decision = new RouteDecision<>("inventory", FEATURE_X, outcome, List.of("a", "b"),
				Set.of(FEATURE_X));

		// when
		List<String> instances = decision.instancesOrThrow();

		// then
		assertThat(instances).containsExactly("a", "b");
	}

	@ParameterizedTest
	@EnumSource(value = RouteOutcome.class, names = { "FAIL_FAST", "NO_INSTANCE" })
	void shouldThrowTheExplainingExceptionForADecisionWithoutInstances(RouteOutcome outcome) {
		// given
		RouteDecision<String> decision = new RouteDecision<>("inventory", FEATURE_X, outcome, List.of(),
				Set.of(IsolationGroup.of("team-b")));

		// when / then
		assertThatExceptionOfType(IsolationRoutingException.class).isThrownBy(decision::instancesOrThrow)
			.withMessage(new IsolationRoutingException(decision).getMessage())
			.satisfies((exception) -> {
				assertThat(exception.getOutcome()).isEqualTo(outcome);
				assertThat(exception.getServiceId()).isEqualTo("inventory");
				assertThat(exception.getRequestedGroup()).isEqualTo(FEATURE_X);
				assertThat(exception.getAvailableGroups()).containsExactly(IsolationGroup.of("team-b"));
			});
	}

	@ParameterizedTest
	@EnumSource(value = RouteOutcome.class, names = { "OWN_GROUP", "STABLE", "FALLBACK" })
	void shouldRejectARoutableOutcomeWithoutInstances(RouteOutcome outcome) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteDecision<>("inventory", FEATURE_X, outcome, List.of(), Set.of()))
			.withMessage("instances must be non-empty exactly when the outcome is routable, but was 0 instances for "
					+ outcome);
	}

	@ParameterizedTest
	@EnumSource(value = RouteOutcome.class, names = { "FAIL_FAST", "NO_INSTANCE" })
	void shouldRejectAnUnroutableOutcomeWithInstances(RouteOutcome outcome) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteDecision<>("inventory", FEATURE_X, outcome, List.of("a"), Set.of()))
			.withMessage("instances must be non-empty exactly when the outcome is routable, but was 1 instances for "
					+ outcome);
	}

	@Test
	void shouldRejectMissingComponentsNamingThem() {
		List<String> one = List.of("a");
		assertThatNullPointerException()
			.isThrownBy(() -> new RouteDecision<>(null, FEATURE_X, RouteOutcome.OWN_GROUP, one, Set.of()))
			.withMessage("serviceId must not be null");
		assertThatNullPointerException()
			.isThrownBy(() -> new RouteDecision<>("inventory", null, RouteOutcome.OWN_GROUP, one, Set.of()))
			.withMessage("requestedGroup must not be null");
		assertThatNullPointerException()
			.isThrownBy(() -> new RouteDecision<>("inventory", FEATURE_X, null, one, Set.of()))
			.withMessage("outcome must not be null");
		assertThatNullPointerException()
			.isThrownBy(() -> new RouteDecision<>("inventory", FEATURE_X, RouteOutcome.OWN_GROUP, null, Set.of()));
		assertThatNullPointerException()
			.isThrownBy(() -> new RouteDecision<>("inventory", FEATURE_X, RouteOutcome.OWN_GROUP, one, null));
	}

	@Test
	void shouldCopyItsCollectionsSoThatTheCallerCannotChangeThem() {
		// given
		List<String> instances = new ArrayList<>(List.of("a"));
		Set<IsolationGroup> groups = new HashSet<>(Set.of(FEATURE_X));
		RouteDecision<String> decision = new RouteDecision<>("inventory", FEATURE_X, RouteOutcome.OWN_GROUP,
				instances, groups);

		// when
		instances.add("b");
		groups.add(IsolationGroup.STABLE);

		// then
		assertThat(decision.instances()).containsExactly("a");
		assertThat(decision.availableGroups()).containsExactly(FEATURE_X);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> decision.instances().add("c"));
	}

}
