package io.github.isolation.core;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.isolation.core.InstanceListIndexTest.Instance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance of a group that a list leaves out while it still runs keeps its group's calls.
 */
class IndexedRouterHoldTest {

	private static final String SERVICE = "pricing";

	private static final IsolationGroup STABLE = IsolationGroup.STABLE;

	private static final IsolationGroup FEATURE = IsolationGroup.of("feature-x");

	private static final Instance STABLE_ONE = new Instance("stable-1", STABLE);

	private static final Instance FEATURE_ONE = new Instance("feature-1", FEATURE);

	private static final Instance FEATURE_TWO = new Instance("feature-2", FEATURE);

	private final RunningResolver resolver = new RunningResolver();

	private final IndexedRouter<Instance> router = new IndexedRouter<>(this.resolver);

	@Test
	void shouldKeepCallingAnInstanceThatTheListLeavesOutWhileItRuns() {
		// given
		this.resolver.running.add(FEATURE_ONE);
		route(FEATURE, List.of(STABLE_ONE, FEATURE_ONE));

		// when
		RouteDecision<Instance> decision = route(FEATURE, List.of(STABLE_ONE));

		// then
		assertThat(decision.outcome()).isEqualTo(RouteOutcome.HELD);
		assertThat(decision.instances()).containsExactly(FEATURE_ONE);
		assertThat(decision.availableGroups()).contains(FEATURE, STABLE);
	}

	@Test
	void shouldFallBackOnceTheInstanceStopsAndForgetIt() {
		// given
		this.resolver.running.add(FEATURE_ONE);
		route(FEATURE, List.of(STABLE_ONE, FEATURE_ONE));
		this.resolver.running.remove(FEATURE_ONE);

		// when
		RouteDecision<Instance> stopped = route(FEATURE, List.of(STABLE_ONE));
		this.resolver.running.add(FEATURE_ONE);
		RouteDecision<Instance> forgotten = route(FEATURE, List.of(STABLE_ONE));

		// then
		assertThat(stopped.outcome()).isEqualTo(RouteOutcome.FALLBACK);
		assertThat(stopped.instances()).containsExactly(STABLE_ONE);
		assertThat(forgotten.outcome()).as("forgotten once it was seen stopped").isEqualTo(RouteOutcome.FALLBACK);
	}

	@Test
	void shouldHoldOnlyThoseOfTheGroupThatStillRun() {
		// given
		this.resolver.running.add(FEATURE_TWO);
		route(FEATURE, List.of(STABLE_ONE, FEATURE_ONE, FEATURE_TWO));

		// when
		RouteDecision<Instance> decision = route(FEATURE, List.of(STABLE_ONE));

		// then
		assertThat(decision.instances()).containsExactly(FEATURE_TWO);
	}

	@Test
	void shouldHoldInsteadOfFailingFastAndInsteadOfFindingNoInstance() {
		// given
		this.resolver.running.add(FEATURE_ONE);
		route(FEATURE, List.of(STABLE_ONE, FEATURE_ONE));

		// when
		RouteDecision<Instance> failFast = this.router.route(SERVICE, FEATURE, FailFastServices.of(List.of(SERVICE)),
				List.of(STABLE_ONE));
		RouteDecision<Instance> empty = route(FEATURE, List.of());

		// then
		assertThat(failFast.outcome()).isEqualTo(RouteOutcome.HELD);
		assertThat(empty.outcome()).isEqualTo(RouteOutcome.HELD);
		assertThat(empty.instances()).containsExactly(FEATURE_ONE);
	}

	@Test
	void shouldRememberTheGroupsOfAnIndexedListAlthoughNoCallAskedForThem() {
		// given: a list seen twice is indexed; the calls were all untagged
		this.resolver.running.add(FEATURE_ONE);
		List<Instance> cached = List.of(STABLE_ONE, FEATURE_ONE);
		route(STABLE, cached);
		route(STABLE, cached);

		// when
		RouteDecision<Instance> decision = route(FEATURE, List.of(STABLE_ONE));

		// then
		assertThat(decision.outcome()).isEqualTo(RouteOutcome.HELD);
		assertThat(decision.instances()).containsExactly(FEATURE_ONE);
	}

	@Test
	void shouldRememberTheLastListThatHadTheGroup() {
		// given: the group moved from one instance to another
		this.resolver.running.addAll(Set.of(FEATURE_ONE, FEATURE_TWO));
		route(FEATURE, List.of(STABLE_ONE, FEATURE_ONE));
		route(FEATURE, List.of(STABLE_ONE, FEATURE_TWO));

		// when
		RouteDecision<Instance> decision = route(FEATURE, List.of(STABLE_ONE));

		// then
		assertThat(decision.instances()).containsExactly(FEATURE_TWO);
	}

	@Test
	void shouldNeverHoldForUntaggedCallsNorForAnotherGroup() {
		// given
		this.resolver.running.add(FEATURE_ONE);
		route(FEATURE, List.of(STABLE_ONE, FEATURE_ONE));

		// when
		RouteDecision<Instance> untagged = route(STABLE, List.of());
		RouteDecision<Instance> other = route(IsolationGroup.of("feature-y"), List.of(STABLE_ONE));

		// then
		assertThat(untagged.outcome()).isEqualTo(RouteOutcome.NO_INSTANCE);
		assertThat(other.outcome()).isEqualTo(RouteOutcome.FALLBACK);
		assertThat(other.instances()).containsExactly(STABLE_ONE);
	}

	@Test
	void shouldFallBackAsTheRuleSaysWithAResolverThatKnowsNoSign() {
		// given
		IndexedRouter<Instance> plain = new IndexedRouter<>(Instance::group);
		plain.route(SERVICE, FEATURE, FailFastServices.NONE, List.of(STABLE_ONE, FEATURE_ONE));

		// when
		RouteDecision<Instance> decision = plain.route(SERVICE, FEATURE, FailFastServices.NONE, List.of(STABLE_ONE));

		// then
		assertThat(decision.outcome()).isEqualTo(RouteOutcome.FALLBACK);
	}

	private RouteDecision<Instance> route(IsolationGroup group, List<Instance> instances) {
		return this.router.route(SERVICE, group, FailFastServices.NONE, instances);
	}

	/** Groups as the instances say; running as the test says. */
	static final class RunningResolver implements InstanceGroupResolver<Instance> {

		final Set<Instance> running = ConcurrentHashMap.newKeySet();

		@Override
		public IsolationGroup groupOf(Instance instance) {
			return instance.group();
		}

		@Override
		public boolean isRunningIn(Instance instance, IsolationGroup group) {
			return instance.group().equals(group) && this.running.contains(instance);
		}

	}

}
