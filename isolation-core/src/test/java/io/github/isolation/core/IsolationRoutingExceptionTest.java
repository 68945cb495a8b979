package io.github.isolation.core;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class IsolationRoutingExceptionTest {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup TEAM_B = IsolationGroup.of("team-b");

	private static final FailFastServices INVENTORY_IS_FAIL_FAST = FailFastServices.of(List.of("inventory"));

	@Test
	void shouldExplainAFailFastRefusal() {
		// given
		RouteDecision<IsolationGroup> decision = route(FEATURE_X, INVENTORY_IS_FAIL_FAST,
				List.of(IsolationGroup.STABLE, TEAM_B));

		// when
		IsolationRoutingException exception = new IsolationRoutingException(decision);

		// then
		assertThat(exception.getMessage()).isEqualTo("No instance of 'inventory' in isolation group 'feature-x'"
				+ " and 'inventory' is fail-fast (instances only in stable, team-b);"
				+ " start one in 'feature-x' or remove 'inventory' from the fail-fast list (the request's"
				+ " isolation-fail-fast tag, or the calling service's isolation.fail-fast property)");
		assertThat(exception.getOutcome()).isEqualTo(RouteOutcome.FAIL_FAST);
		assertThat(exception.getServiceId()).isEqualTo("inventory");
		assertThat(exception.getRequestedGroup()).isEqualTo(FEATURE_X);
		assertThat(exception.getAvailableGroups()).containsExactlyInAnyOrder(IsolationGroup.STABLE, TEAM_B);
	}

	@ParameterizedTest(name = "request in ''{0}''")
	@ValueSource(strings = { "stable", "feature-x" })
	void shouldExplainThatDiscoveryReturnedNoInstanceAtAll(String requestGroup) {
		// given
		RouteDecision<IsolationGroup> decision = route(IsolationGroup.of(requestGroup), FailFastServices.NONE,
				List.of());

		// when
		IsolationRoutingException exception = new IsolationRoutingException(decision);

		// then
		assertThat(exception.getOutcome()).isEqualTo(RouteOutcome.NO_INSTANCE);
		assertThat(exception.getAvailableGroups()).isEmpty();
		assertThat(exception.getMessage()).contains("'inventory'", "isolation group '" + requestGroup + "'",
				"discovery returned none", "start one, in 'stable' to serve every group");
	}

	@Test
	void shouldExplainThatAnUntaggedRequestFoundNoStableInstance() {
		// given
		RouteDecision<IsolationGroup> decision = route(IsolationGroup.STABLE, INVENTORY_IS_FAIL_FAST,
				List.of(TEAM_B, FEATURE_X));

		// when
		IsolationRoutingException exception = new IsolationRoutingException(decision);

		// then
		assertThat(exception.getMessage()).isEqualTo("No stable instance of 'inventory'"
				+ " (instances only in feature-x, team-b); untagged requests only reach 'stable':"
				+ " start a stable instance of 'inventory' or tag the request with one of those groups");
		assertThat(exception.getOutcome()).isEqualTo(RouteOutcome.NO_INSTANCE);
		assertThat(exception.getRequestedGroup()).isSameAs(IsolationGroup.STABLE);
	}

	@Test
	void shouldExplainThatATaggedRequestFoundNeitherItsGroupNorStable() {
		// given
		RouteDecision<IsolationGroup> decision = route(FEATURE_X, FailFastServices.NONE, List.of(TEAM_B));

		// when
		IsolationRoutingException exception = new IsolationRoutingException(decision);

		// then
		assertThat(exception.getMessage()).isEqualTo("No instance of 'inventory' in isolation group 'feature-x'"
				+ " nor in 'stable' (instances only in team-b); start one in 'feature-x' or a stable one");
		assertThat(exception.getOutcome()).isEqualTo(RouteOutcome.NO_INSTANCE);
		assertThat(exception.getAvailableGroups()).containsExactly(TEAM_B);
	}

	@Test
	void shouldListTheAvailableGroupsInAStableOrder() {
		// given
		List<IsolationGroup> discoveryOrder = List.of(IsolationGroup.of("zeta"), IsolationGroup.of("alpha"),
				IsolationGroup.of("mu"), IsolationGroup.of("alpha"));

		// when
		String message = new IsolationRoutingException(route(FEATURE_X, FailFastServices.NONE, discoveryOrder))
			.getMessage();

		// then
		assertThat(message).contains("(instances only in alpha, mu, zeta)");
	}

	@Test
	void shouldEscapeTheServiceIdSoThatTheMessageCanGoIntoALogOrAnAnswer() {
		// given
		RouteDecision<IsolationGroup> decision = new RouteDecision<>("inventory\r\nforged", FEATURE_X,
				RouteOutcome.NO_INSTANCE, List.of(), Set.of());

		// when
		String message = new IsolationRoutingException(decision).getMessage();

		// then
		assertThat(message).startsWith("No instance of 'inventory\\u000d\\u000aforged' for isolation group")
			.doesNotContain("\r", "\n");
	}

	@Test
	void shouldBeAnIllegalStateExceptionSoThatCallersNeedNoNewCatchClause() {
		// given
		RouteDecision<IsolationGroup> decision = new RouteDecision<>("inventory", FEATURE_X, RouteOutcome.NO_INSTANCE,
				List.of(), Set.of());

		// when / then
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(decision::instancesOrThrow)
			.isInstanceOf(IsolationRoutingException.class);
	}

	/** Routes instances that are their own group, one per element of {@code groups}. */
	private static RouteDecision<IsolationGroup> route(IsolationGroup group, FailFastServices failFast,
			List<IsolationGroup> groups) {
		return IsolationRouter.route("inventory", group, failFast, groups, (instance) -> instance);
	}

}
