package io.github.isolation.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstanceListIndexTest {

	private static final String SERVICE = "inventory";

	private static final IsolationGroup STABLE = IsolationGroup.STABLE;

	private static final IsolationGroup G1 = IsolationGroup.of("g1");

	private static final IsolationGroup G2 = IsolationGroup.of("g2");

	private static final FailFastServices INVENTORY_IS_FAIL_FAST = FailFastServices.of(List.of("billing", SERVICE));

	/** Random lists, groups and fail-fast sets; the seed is fixed so that a failure can be replayed. */
	@Test
	void shouldDecideAsTheRoutingRuleForManyRandomListsGroupsAndFailFastSets() {
		// given
		Random random = new Random(7);
		List<IsolationGroup> pool = List.of(STABLE, G1, G2, IsolationGroup.of("g3"), IsolationGroup.of("g4"),
				IsolationGroup.of("feature-x"));
		List<FailFastServices> failFastSets = List.of(FailFastServices.NONE, FailFastServices.of(List.of("billing")),
				INVENTORY_IS_FAIL_FAST, FailFastServices.of(List.of("INVENTORY")));
		int compared = 0;
		for (int round = 0; round < 2_000; round++) {
			String serviceId = random.nextBoolean() ? SERVICE : "Inventory";
			List<Instance> instances = randomInstances(random, pool, random.nextInt(12));
			InstanceListIndex<Instance> index = InstanceListIndex.build(serviceId, instances, Instance::group, 0);
			for (int call = 0; call < 20; call++) {
				IsolationGroup group = (random.nextInt(5) == 0) ? IsolationGroup.of("absent-" + random.nextInt(3))
						: pool.get(random.nextInt(pool.size()));
				FailFastServices failFast = failFastSets.get(random.nextInt(failFastSets.size()));

				// when
				RouteDecision<Instance> indexed = index.route(group, failFast);
				RouteDecision<Instance> ruled = IsolationRouter.route(serviceId, group, failFast, instances,
						Instance::group);

				// then
				assertThat(indexed).as("round %d, call %d: %s for %s in %s", round, call, group, failFast, instances)
					.isEqualTo(ruled);
				compared++;
			}
		}
		assertThat(compared).isEqualTo(40_000);
	}

	@Test
	void shouldReturnTheSameImmutableListOnEveryCallInsteadOfACopy() {
		// given
		List<Instance> instances = List.of(new Instance("g1-1", G1), new Instance("s-1", STABLE),
				new Instance("g1-2", G1));
		InstanceListIndex<Instance> index = InstanceListIndex.build(SERVICE, instances, Instance::group, 0);

		// when
		RouteDecision<Instance> first = index.route(G1, FailFastServices.NONE);
		RouteDecision<Instance> second = index.route(IsolationGroup.of("g1"), FailFastServices.NONE);
		RouteDecision<Instance> firstFallback = index.route(G2, FailFastServices.NONE);
		RouteDecision<Instance> secondFallback = index.route(G2, FailFastServices.NONE);

		// then
		assertThat(second).isSameAs(first);
		assertThat(first.instances()).extracting(Instance::id).containsExactly("g1-1", "g1-2");
		assertThatThrownBy(() -> first.instances().add(new Instance("x", G1)))
			.isInstanceOf(UnsupportedOperationException.class);
		assertThat(secondFallback).isSameAs(firstFallback);
		assertThat(firstFallback.outcome()).isEqualTo(RouteOutcome.FALLBACK);
		assertThat(index.route(STABLE, FailFastServices.NONE).instances()).isSameAs(firstFallback.instances());
	}

	@Test
	void shouldFailFastForATaggedRequestEvenAfterItsGroupFellBackBefore() {
		// given
		List<Instance> stableOnly = List.of(new Instance("s-1", STABLE));
		InstanceListIndex<Instance> index = InstanceListIndex.build(SERVICE, stableOnly, Instance::group, 0);
		RouteDecision<Instance> fellBack = index.route(G1, FailFastServices.NONE);

		// when
		RouteDecision<Instance> failFast = index.route(G1, INVENTORY_IS_FAIL_FAST);

		// then
		assertThat(fellBack.outcome()).isEqualTo(RouteOutcome.FALLBACK);
		assertThat(failFast.outcome()).isEqualTo(RouteOutcome.FAIL_FAST);
		assertThatThrownBy(failFast::instancesOrThrow).isInstanceOf(IsolationRoutingException.class)
			.hasMessageContaining("'inventory' is fail-fast");
	}

	@Test
	void shouldStillDecideByTheRuleForMoreAbsentGroupsThanItRemembers() {
		// given
		List<Instance> instances = List.of(new Instance("g1-1", G1), new Instance("s-1", STABLE));
		InstanceListIndex<Instance> index = InstanceListIndex.build(SERVICE, instances, Instance::group, 0);
		int groups = 3 * InstanceListIndex.MAX_REMEMBERED_FALLBACKS;

		// when
		List<RouteDecision<Instance>> decisions = new ArrayList<>();
		for (int i = 0; i < groups; i++) {
			decisions.add(index.route(IsolationGroup.of("absent-" + i), FailFastServices.NONE));
		}

		// then
		for (int i = 0; i < groups; i++) {
			assertThat(decisions.get(i)).isEqualTo(IsolationRouter.route(SERVICE, IsolationGroup.of("absent-" + i),
					FailFastServices.NONE, instances, Instance::group));
		}
	}

	@Test
	void shouldStandOnlyForTheSameListObjectOfTheSameSizeUnderTheSameGeneration() {
		// given
		List<Instance> instances = new ArrayList<>(List.of(new Instance("s-1", STABLE)));
		InstanceListIndex<Instance> index = InstanceListIndex.build(SERVICE, instances, Instance::group, 3);

		// when
		boolean same = index.isFor(SERVICE, instances, 3);
		boolean equalCopy = index.isFor(SERVICE, new ArrayList<>(instances), 3);
		boolean otherGeneration = index.isFor(SERVICE, instances, 4);
		boolean otherService = index.isFor("billing", instances, 3);
		instances.add(new Instance("g1-1", G1));
		boolean grownInPlace = index.isFor(SERVICE, instances, 3);

		// then
		assertThat(same).isTrue();
		assertThat(equalCopy).isFalse();
		assertThat(otherGeneration).isFalse();
		assertThat(otherService).isFalse();
		assertThat(grownInPlace).isFalse();
		assertThat(index.generation()).isEqualTo(3);
		assertThat(index.availableGroups()).isEqualTo(Set.of(STABLE));
	}

	@Test
	void shouldStandForAnotherListOfTheSameInstancesInTheSameOrderAsTheyWereWhenIndexed() {
		// given
		Instance s1 = new Instance("s-1", STABLE);
		Instance g1 = new Instance("g1-1", G1);
		List<Instance> instances = new ArrayList<>(List.of(s1, g1));
		InstanceListIndex<Instance> index = InstanceListIndex.build(SERVICE, instances, Instance::group, 3);

		// when
		boolean copy = index.isForSameInstances(SERVICE, new ArrayList<>(List.of(s1, g1)), 3);
		boolean equalButNotSame = index.isForSameInstances(SERVICE,
				List.of(new Instance("s-1", STABLE), new Instance("g1-1", G1)), 3);
		boolean reordered = index.isForSameInstances(SERVICE, List.of(g1, s1), 3);
		boolean otherGeneration = index.isForSameInstances(SERVICE, List.of(s1, g1), 4);
		boolean shorter = index.isForSameInstances(SERVICE, List.of(s1), 3);
		instances.set(1, new Instance("g2-1", G2));
		boolean indexedListChangedSince = index.isForSameInstances(SERVICE, instances, 3);

		// then
		assertThat(copy).isTrue();
		assertThat(equalButNotSame).isFalse();
		assertThat(reordered).isFalse();
		assertThat(otherGeneration).isFalse();
		assertThat(shorter).isFalse();
		assertThat(indexedListChangedSince).isFalse();
	}

	static List<Instance> randomInstances(Random random, List<IsolationGroup> pool, int count) {
		// A random subset of the pool, so that some lists have no stable instance or no tagged one.
		List<IsolationGroup> present = new ArrayList<>();
		for (IsolationGroup group : pool) {
			if (random.nextBoolean()) {
				present.add(group);
			}
		}
		List<Instance> instances = new ArrayList<>();
		for (int i = 0; i < count && !present.isEmpty(); i++) {
			IsolationGroup group = present.get(random.nextInt(present.size()));
			instances.add(new Instance(group.name() + "-" + i, group));
		}
		return random.nextBoolean() ? List.copyOf(instances) : instances;
	}

	record Instance(String id, IsolationGroup group) {
	}

}
