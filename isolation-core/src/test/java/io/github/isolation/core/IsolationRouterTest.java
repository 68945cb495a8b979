package io.github.isolation.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class IsolationRouterTest {

	private static final String SERVICE = "inventory";

	private static final IsolationGroup STABLE = IsolationGroup.STABLE;

	private static final IsolationGroup G1 = IsolationGroup.of("g1");

	private static final IsolationGroup G2 = IsolationGroup.of("g2");

	/** The order in which instances of each group are laid out, twice over, so that groups interleave. */
	private static final List<IsolationGroup> GROUPS = List.of(G1, STABLE, G2);

	private static final FailFastServices INVENTORY_IS_FAIL_FAST = FailFastServices.of(List.of("billing", SERVICE));

	private static final FailFastServices OTHERS_ARE_FAIL_FAST = FailFastServices.of(List.of("billing"));

	static Stream<Arguments> everyCombination() {
		Stream.Builder<Arguments> cases = Stream.builder();
		for (IsolationGroup requestGroup : GROUPS) {
			for (int mask = 0; mask < (1 << GROUPS.size()); mask++) {
				List<IsolationGroup> present = new ArrayList<>();
				for (int bit = 0; bit < GROUPS.size(); bit++) {
					if ((mask & (1 << bit)) != 0) {
						present.add(GROUPS.get(bit));
					}
				}
				cases.add(Arguments.of(requestGroup, present, false));
				cases.add(Arguments.of(requestGroup, present, true));
			}
		}
		return cases.build();
	}

	@ParameterizedTest(name = "request in {0}, instances in {1}, service fail-fast: {2}")
	@MethodSource("everyCombination")
	void shouldFollowTheRoutingRuleForEveryCombination(IsolationGroup requestGroup, List<IsolationGroup> present,
			boolean serviceIsFailFast) {
		// given
		List<Instance> instances = instancesIn(present);
		FailFastServices failFast = serviceIsFailFast ? INVENTORY_IS_FAIL_FAST : OTHERS_ARE_FAIL_FAST;
		Expected expected = Expected.byTheRule(requestGroup, present, serviceIsFailFast);

		// when
		RouteDecision<Instance> decision = IsolationRouter.route(SERVICE, requestGroup, failFast, instances,
				Instance::group);

		// then
		assertThat(decision.outcome()).isEqualTo(expected.outcome());
		assertThat(decision.instances()).containsExactlyElementsOf(expected.instancesAmong(instances));
		assertThat(decision.serviceId()).isEqualTo(SERVICE);
		assertThat(decision.requestedGroup()).isEqualTo(requestGroup);
		assertThat(decision.availableGroups()).isEqualTo(Set.copyOf(present));
		assertThat(decision.instances()).allSatisfy(
				(chosen) -> assertThat(chosen.group()).isIn(STABLE, requestGroup));
	}

	@Test
	void shouldNeverRouteAnUntaggedRequestToANonStableInstance() {
		// given
		List<Instance> onlyFeatureGroups = List.of(new Instance("g1-1", G1), new Instance("g2-1", G2));
		List<Instance> mixed = List.of(new Instance("g1-1", G1), new Instance("stable-1", STABLE),
				new Instance("g2-1", G2));

		// when
		RouteDecision<Instance> withoutStable = route(STABLE, FailFastServices.NONE, onlyFeatureGroups);
		RouteDecision<Instance> withStable = route(STABLE, FailFastServices.NONE, mixed);

		// then
		assertThat(withoutStable.outcome()).isEqualTo(RouteOutcome.NO_INSTANCE);
		assertThat(withoutStable.instances()).isEmpty();
		assertThat(withStable.outcome()).isEqualTo(RouteOutcome.STABLE);
		assertThat(withStable.instances()).extracting(Instance::id).containsExactly("stable-1");
	}

	@Test
	void shouldNeverRouteATaggedRequestToAnotherGroupsInstance() {
		// given
		List<Instance> onlyOtherGroup = List.of(new Instance("g2-1", G2), new Instance("g2-2", G2));
		List<Instance> otherGroupAndStable = List.of(new Instance("g2-1", G2), new Instance("stable-1", STABLE));

		// when
		RouteDecision<Instance> withoutStable = route(G1, FailFastServices.NONE, onlyOtherGroup);
		RouteDecision<Instance> withStable = route(G1, FailFastServices.NONE, otherGroupAndStable);

		// then
		assertThat(withoutStable.outcome()).isEqualTo(RouteOutcome.NO_INSTANCE);
		assertThat(withoutStable.instances()).isEmpty();
		assertThat(withStable.outcome()).isEqualTo(RouteOutcome.FALLBACK);
		assertThat(withStable.instances()).extracting(Instance::id).containsExactly("stable-1");
	}

	@Test
	void shouldKeepTheDiscoveryOrderWhenFallingBack() {
		// given
		List<Instance> instances = List.of(new Instance("stable-c", STABLE), new Instance("g2-a", G2),
				new Instance("stable-a", STABLE), new Instance("stable-b", STABLE), new Instance("g2-b", G2));

		// when
		RouteDecision<Instance> decision = route(G1, FailFastServices.NONE, instances);

		// then
		assertThat(decision.outcome()).isEqualTo(RouteOutcome.FALLBACK);
		assertThat(decision.instances()).extracting(Instance::id).containsExactly("stable-c", "stable-a", "stable-b");
	}

	@Test
	void shouldKeepTheDiscoveryOrderWithinTheOwnGroup() {
		// given
		List<Instance> instances = List.of(new Instance("g1-z", G1), new Instance("stable-a", STABLE),
				new Instance("g1-a", G1), new Instance("g1-m", G1));

		// when
		RouteDecision<Instance> decision = route(G1, INVENTORY_IS_FAIL_FAST, instances);

		// then
		assertThat(decision.outcome()).isEqualTo(RouteOutcome.OWN_GROUP);
		assertThat(decision.instances()).extracting(Instance::id).containsExactly("g1-z", "g1-a", "g1-m");
	}

	@Test
	void shouldApplyFailFastOnlyWhenTheRequestGroupIsNotStable() {
		// given
		List<Instance> stableOnly = List.of(new Instance("stable-1", STABLE));
		List<Instance> featureOnly = List.of(new Instance("g1-1", G1));

		// when
		RouteDecision<Instance> untaggedWithStable = route(STABLE, INVENTORY_IS_FAIL_FAST, stableOnly);
		RouteDecision<Instance> untaggedWithoutStable = route(STABLE, INVENTORY_IS_FAIL_FAST, featureOnly);
		RouteDecision<Instance> tagged = route(G2, INVENTORY_IS_FAIL_FAST, stableOnly);

		// then
		assertThat(untaggedWithStable.outcome()).isEqualTo(RouteOutcome.STABLE);
		assertThat(untaggedWithStable.instances()).containsExactlyElementsOf(stableOnly);
		assertThat(untaggedWithoutStable.outcome()).isEqualTo(RouteOutcome.NO_INSTANCE);
		assertThat(tagged.outcome()).isEqualTo(RouteOutcome.FAIL_FAST);
		assertThat(tagged.instances()).isEmpty();
	}

	@ParameterizedTest(name = "service ''{0}'' against fail-fast list ''{1}''")
	@CsvSource(delimiter = '|', value = {
			"inventory | INVENTORY",
			"Inventory | inventory",
			"INVENTORY | billing, Inventory",
			"inVentOry | inventory" })
	void shouldMatchTheServiceIdInTheFailFastSetIgnoringCase(String serviceId, String failFastHeader) {
		// given
		FailFastServices failFast = FailFastServices.parse(failFastHeader, (rejection) -> {
			throw new AssertionError("unexpected rejection " + rejection);
		});
		List<Instance> stableOnly = List.of(new Instance("stable-1", STABLE));

		// when
		RouteDecision<Instance> decision = IsolationRouter.route(serviceId, G1, failFast, stableOnly, Instance::group);

		// then
		assertThat(decision.outcome()).isEqualTo(RouteOutcome.FAIL_FAST);
		assertThat(decision.instances()).isEmpty();
	}

	private static RouteDecision<Instance> route(IsolationGroup group, FailFastServices failFast,
			List<Instance> instances) {
		return IsolationRouter.route(SERVICE, group, failFast, instances, Instance::group);
	}

	private static List<Instance> instancesIn(List<IsolationGroup> present) {
		List<Instance> instances = new ArrayList<>();
		for (int round = 1; round <= 2; round++) {
			for (IsolationGroup group : present) {
				instances.add(new Instance(group.name() + "-" + round, group));
			}
		}
		return instances;
	}

	record Instance(String id, IsolationGroup group) {
	}

	/**
	 * DESIGN.md section 2, step by step, written over the set of groups that have instances
	 * rather than over the instance list, so that it does not share the router's code.
	 */
	record Expected(RouteOutcome outcome, IsolationGroup chosenGroup) {

		static Expected byTheRule(IsolationGroup requested, List<IsolationGroup> present, boolean serviceIsFailFast) {
			boolean tagged = !requested.equals(IsolationGroup.STABLE);
			// 1. tagged and the group has instances: only those
			if (tagged && present.contains(requested)) {
				return new Expected(RouteOutcome.OWN_GROUP, requested);
			}
			// 2. tagged, none in the group, service is fail-fast: no call
			if (tagged && serviceIsFailFast) {
				return new Expected(RouteOutcome.FAIL_FAST, null);
			}
			// 3. stable instances exist: only those
			if (present.contains(IsolationGroup.STABLE)) {
				return new Expected(tagged ? RouteOutcome.FALLBACK : RouteOutcome.STABLE, IsolationGroup.STABLE);
			}
			// 4. otherwise: no call
			return new Expected(RouteOutcome.NO_INSTANCE, null);
		}

		List<Instance> instancesAmong(List<Instance> instances) {
			return instances.stream().filter((instance) -> instance.group().equals(this.chosenGroup)).toList();
		}

	}

}
