package io.github.isolation.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.isolation.core.InstanceListIndexTest.Instance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IndexedRouterTest {

	private static final String SERVICE = "inventory";

	private static final IsolationGroup STABLE = IsolationGroup.STABLE;

	private static final IsolationGroup G1 = IsolationGroup.of("g1");

	private static final IsolationGroup G2 = IsolationGroup.of("g2");

	private static final List<IsolationGroup> POOL = List.of(STABLE, G1, G2, IsolationGroup.of("g3"));

	private static final List<FailFastServices> FAIL_FAST_SETS = List.of(FailFastServices.NONE,
			FailFastServices.of(List.of(SERVICE)), FailFastServices.of(List.of("billing")));

	@Test
	void shouldDecideAsTheRoutingRuleWhetherListsRepeatOrChange() {
		// given
		Random random = new Random(11);
		CountingResolver resolver = new CountingResolver();
		IndexedRouter<Instance> router = new IndexedRouter<>(resolver);
		List<List<Instance>> lists = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			lists.add(InstanceListIndexTest.randomInstances(random, POOL, random.nextInt(10)));
		}
		for (int call = 0; call < 20_000; call++) {
			// Runs of the same list, as a caching supplier gives, broken by other lists and services.
			List<Instance> instances = lists.get((call / (1 + random.nextInt(4))) % lists.size());
			String serviceId = random.nextInt(10) == 0 ? "billing" : SERVICE;
			IsolationGroup group = POOL.get(random.nextInt(POOL.size()));
			FailFastServices failFast = FAIL_FAST_SETS.get(random.nextInt(FAIL_FAST_SETS.size()));

			// when
			RouteDecision<Instance> decision = router.route(serviceId, group, failFast, instances);

			// then
			assertThat(decision).isEqualTo(IsolationRouter.route(serviceId, group, failFast, instances, Instance::group));
		}
	}

	@Test
	void shouldScanARepeatedListOnceToRouteAndOnceToIndexItAndNeverAgain() {
		// given
		CountingResolver resolver = new CountingResolver();
		IndexedRouter<Instance> router = new IndexedRouter<>(resolver);
		List<Instance> instances = List.of(new Instance("g1-1", G1), new Instance("s-1", STABLE),
				new Instance("g2-1", G2));

		// when
		RouteDecision<Instance> first = router.route(SERVICE, G1, FailFastServices.NONE, instances);
		int afterFirst = resolver.calls.get();
		RouteDecision<Instance> second = router.route(SERVICE, G1, FailFastServices.NONE, instances);
		int afterSecond = resolver.calls.get();
		List<RouteDecision<Instance>> more = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			more.add(router.route(SERVICE, (i % 2 == 0) ? G1 : STABLE, FailFastServices.NONE, instances));
		}

		// then
		assertThat(afterFirst).isEqualTo(3);
		assertThat(afterSecond).isEqualTo(6);
		assertThat(resolver.calls.get()).isEqualTo(6);
		assertThat(first).isEqualTo(second);
		assertThat(more.get(0)).isSameAs(second);
		assertThat(more.get(1).outcome()).isEqualTo(RouteOutcome.STABLE);
		assertThat(more.get(3)).isSameAs(more.get(1));
	}

	@Test
	void shouldIndexANewListOfTheSameInstancesAsIfItWereTheSameList() {
		// given
		CountingResolver resolver = new CountingResolver();
		IndexedRouter<Instance> router = new IndexedRouter<>(resolver);
		List<Instance> base = List.of(new Instance("g1-1", G1), new Instance("s-1", STABLE));

		// when
		List<RouteDecision<Instance>> decisions = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			decisions.add(router.route(SERVICE, G1, FailFastServices.NONE, new ArrayList<>(base)));
		}

		// then
		assertThat(resolver.calls.get()).isEqualTo(2 * base.size());
		assertThat(decisions).allSatisfy((decision) -> assertThat(decision)
			.isEqualTo(IsolationRouter.route(SERVICE, G1, FailFastServices.NONE, base, Instance::group)));
	}

	@Test
	void shouldScanAListOfNewInstanceObjectsOnlyOncePerCall() {
		// given
		CountingResolver resolver = new CountingResolver();
		IndexedRouter<Instance> router = new IndexedRouter<>(resolver);

		// when
		for (int i = 0; i < 100; i++) {
			// Equal, but not the same objects: as a discovery client that builds its instances anew.
			router.route(SERVICE, G1, FailFastServices.NONE,
					List.of(new Instance("g1-1", G1), new Instance("s-1", STABLE)));
		}

		// then
		assertThat(resolver.calls.get()).isEqualTo(100 * 2);
	}

	@Test
	void shouldDecideAsTheRoutingRuleForNewInstanceObjectsOnEveryCallWhetherTheirGroupsRepeatOrChange() {
		// given
		Random random = new Random(13);
		// Each answer a new object, as a resolver that does not keep one per group would give.
		InstanceGroupResolver<Instance> unshared = (instance) -> new IsolationGroup(instance.group().name());
		for (InstanceGroupResolver<Instance> resolver : List.<InstanceGroupResolver<Instance>>of(Instance::group,
				unshared)) {
			IndexedRouter<Instance> router = new IndexedRouter<>(resolver);
			List<IsolationGroup> groups = groupsOf(InstanceListIndexTest.randomInstances(random, POOL, 10));
			for (int call = 0; call < 20_000; call++) {
				// Mostly the same groups at the same positions; now and then one moves, or the
				// list grows or shrinks.
				int change = random.nextInt(20);
				if (change == 0 && !groups.isEmpty()) {
					groups.set(random.nextInt(groups.size()), POOL.get(random.nextInt(POOL.size())));
				}
				else if (change == 1) {
					groups.add(POOL.get(random.nextInt(POOL.size())));
				}
				else if (change == 2 && !groups.isEmpty()) {
					groups.remove(random.nextInt(groups.size()));
				}
				List<Instance> instances = new ArrayList<>();
				for (int i = 0; i < groups.size(); i++) {
					instances.add(new Instance(groups.get(i).name() + "-" + i, groups.get(i)));
				}
				IsolationGroup group = (random.nextInt(5) == 0) ? IsolationGroup.of("absent")
						: POOL.get(random.nextInt(POOL.size()));
				FailFastServices failFast = FAIL_FAST_SETS.get(random.nextInt(FAIL_FAST_SETS.size()));

				// when
				RouteDecision<Instance> decision = router.route(SERVICE, group, failFast, instances);

				// then
				assertThat(decision).as("call %d: %s for %s in %s", call, failFast, group, instances)
					.isEqualTo(IsolationRouter.route(SERVICE, group, failFast, instances, Instance::group));
			}
		}
	}

	@Test
	void shouldNoticeAnInstanceThatMovedToAnotherGroupInAListOfNewInstanceObjects() {
		// given
		IndexedRouter<Instance> router = new IndexedRouter<>(Instance::group);
		router.route(SERVICE, G1, FailFastServices.NONE,
				List.of(new Instance("a", STABLE), new Instance("b", STABLE), new Instance("c", G2)));

		// when
		RouteDecision<Instance> moved = router.route(SERVICE, G1, FailFastServices.NONE,
				List.of(new Instance("a", STABLE), new Instance("b", G1), new Instance("c", G2)));
		RouteDecision<Instance> back = router.route(SERVICE, G1, FailFastServices.NONE,
				List.of(new Instance("a", STABLE), new Instance("b", STABLE), new Instance("c", G2)));

		// then
		assertThat(moved.outcome()).isEqualTo(RouteOutcome.OWN_GROUP);
		assertThat(moved.instances()).extracting(Instance::id).containsExactly("b");
		assertThat(moved.availableGroups()).containsExactlyInAnyOrder(STABLE, G1, G2);
		assertThat(back.outcome()).isEqualTo(RouteOutcome.FALLBACK);
		assertThat(back.instances()).extracting(Instance::id).containsExactly("a", "b");
		assertThat(back.availableGroups()).containsExactlyInAnyOrder(STABLE, G2);
	}

	@Test
	void shouldTellTheResolverTheGroupOfTheSamePositionInTheListBefore() {
		// given
		List<IsolationGroup> likely = new ArrayList<>();
		InstanceGroupResolver<Instance> resolver = new InstanceGroupResolver<>() {

			@Override
			public IsolationGroup groupOf(Instance instance) {
				return instance.group();
			}

			@Override
			public IsolationGroup groupOf(Instance instance, IsolationGroup guess) {
				likely.add(guess);
				return instance.group();
			}

		};
		IndexedRouter<Instance> router = new IndexedRouter<>(resolver);
		router.route(SERVICE, G1, FailFastServices.NONE, List.of(new Instance("a", G1), new Instance("b", STABLE)));

		// when
		router.route(SERVICE, G1, FailFastServices.NONE, List.of(new Instance("a", G1), new Instance("b", STABLE)));

		// then
		assertThat(likely).containsExactly(G1, STABLE);
	}

	private static List<IsolationGroup> groupsOf(List<Instance> instances) {
		List<IsolationGroup> groups = new ArrayList<>();
		instances.forEach((instance) -> groups.add(instance.group()));
		return groups;
	}

	@Test
	void shouldNotTakeAListWithTheSameInstancesInAnotherOrderForTheIndexedOne() {
		// given
		IndexedRouter<Instance> router = new IndexedRouter<>(Instance::group);
		Instance s1 = new Instance("s-1", STABLE);
		Instance s2 = new Instance("s-2", STABLE);
		router.route(SERVICE, G1, FailFastServices.NONE, List.of(s1, s2));
		router.route(SERVICE, G1, FailFastServices.NONE, List.of(s1, s2));

		// when
		RouteDecision<Instance> reordered = router.route(SERVICE, G1, FailFastServices.NONE, List.of(s2, s1));

		// then
		assertThat(reordered.instances()).containsExactly(s2, s1);
	}

	@Test
	void shouldReindexWhenTheGenerationOfGroupsChanges() {
		// given
		Instance c1 = new Instance("c1", STABLE);
		Instance c2 = new Instance("c2", STABLE);
		List<Instance> instances = List.of(c1, c2);
		RebindableResolver resolver = new RebindableResolver();
		IndexedRouter<Instance> router = new IndexedRouter<>(resolver);
		router.route(SERVICE, G1, FailFastServices.NONE, instances);
		RouteDecision<Instance> before = router.route(SERVICE, G1, FailFastServices.NONE, instances);

		// when
		resolver.bind(c2, G1);
		RouteDecision<Instance> afterBind = router.route(SERVICE, G1, FailFastServices.NONE, instances);
		RouteDecision<Instance> untaggedAfterBind = router.route(SERVICE, STABLE, FailFastServices.NONE, instances);
		resolver.unbind(c2);
		RouteDecision<Instance> afterUnbind = router.route(SERVICE, G1, FailFastServices.NONE, instances);

		// then
		assertThat(before.outcome()).isEqualTo(RouteOutcome.FALLBACK);
		assertThat(before.instances()).containsExactly(c1, c2);
		assertThat(afterBind.outcome()).isEqualTo(RouteOutcome.OWN_GROUP);
		assertThat(afterBind.instances()).containsExactly(c2);
		assertThat(untaggedAfterBind.instances()).containsExactly(c1);
		assertThat(afterUnbind.outcome()).isEqualTo(RouteOutcome.FALLBACK);
		assertThat(afterUnbind.instances()).containsExactly(c1, c2);
	}

	@Test
	void shouldNoticeAListThatGrewInPlace() {
		// given
		IndexedRouter<Instance> router = new IndexedRouter<>(Instance::group);
		List<Instance> instances = new ArrayList<>(List.of(new Instance("s-1", STABLE)));
		router.route(SERVICE, G1, FailFastServices.NONE, instances);
		router.route(SERVICE, G1, FailFastServices.NONE, instances);

		// when
		instances.add(new Instance("g1-1", G1));
		RouteDecision<Instance> decision = router.route(SERVICE, G1, FailFastServices.NONE, instances);

		// then
		assertThat(decision.outcome()).isEqualTo(RouteOutcome.OWN_GROUP);
		assertThat(decision.instances()).extracting(Instance::id).containsExactly("g1-1");
	}

	@Test
	void shouldKeepDecidingByTheRuleForMoreServicesThanItRemembers() {
		// given
		IndexedRouter<Instance> router = new IndexedRouter<>(Instance::group);
		List<Instance> instances = List.of(new Instance("g1-1", G1), new Instance("s-1", STABLE));
		int services = IndexedRouter.MAX_SERVICES + 50;

		// when
		List<RouteDecision<Instance>> decisions = new ArrayList<>();
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < services; i++) {
				decisions.add(router.route("service-" + i, G2, FailFastServices.NONE, instances));
			}
		}

		// then
		for (int i = 0; i < decisions.size(); i++) {
			String serviceId = "service-" + (i % services);
			assertThat(decisions.get(i)).isEqualTo(
					IsolationRouter.route(serviceId, G2, FailFastServices.NONE, instances, Instance::group));
		}
	}

	@Test
	void shouldDecideAsTheRuleWhileManyThreadsSwitchBetweenLists() throws Exception {
		// given
		IndexedRouter<Instance> router = new IndexedRouter<>(Instance::group);
		Random random = new Random(5);
		List<List<Instance>> lists = new ArrayList<>();
		Map<List<Instance>, Map<IsolationGroup, RouteDecision<Instance>>> expected = new HashMap<>();
		for (int i = 0; i < 3; i++) {
			List<Instance> instances = List.copyOf(InstanceListIndexTest.randomInstances(random, POOL, 1 + random.nextInt(8)));
			lists.add(instances);
			Map<IsolationGroup, RouteDecision<Instance>> byGroup = new HashMap<>();
			for (IsolationGroup group : POOL) {
				byGroup.put(group, IsolationRouter.route(SERVICE, group, FailFastServices.NONE, instances, Instance::group));
			}
			expected.put(instances, byGroup);
		}
		int threads = 4;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
		try {
			// when
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int seed = t;
				done.add(executor.submit(() -> {
					Random own = new Random(seed);
					start.await();
					for (int call = 0; call < 50_000; call++) {
						List<Instance> instances = lists.get((call / 7 + seed) % lists.size());
						IsolationGroup group = POOL.get(own.nextInt(POOL.size()));
						RouteDecision<Instance> decision = router.route(SERVICE, group, FailFastServices.NONE, instances);
						if (!decision.equals(expected.get(instances).get(group))) {
							wrong.add(decision + " for " + group + " in " + instances);
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> each : done) {
				each.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}

		// then
		assertThat(wrong).isEmpty();
	}

	/** Each instance's own group, counting how often it is asked. */
	static final class CountingResolver implements InstanceGroupResolver<Instance> {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public IsolationGroup groupOf(Instance instance) {
			this.calls.incrementAndGet();
			return instance.group();
		}

	}

	/** Bindings that win over each instance's own group, as bindings in ZooKeeper do. */
	static final class RebindableResolver implements InstanceGroupResolver<Instance> {

		private volatile Map<Instance, IsolationGroup> bindings = Map.of();

		private volatile long generation;

		void bind(Instance instance, IsolationGroup group) {
			Map<Instance, IsolationGroup> next = new HashMap<>(this.bindings);
			next.put(instance, group);
			publish(next);
		}

		void unbind(Instance instance) {
			Map<Instance, IsolationGroup> next = new HashMap<>(this.bindings);
			next.remove(instance);
			publish(next);
		}

		// The new answers first, then the new generation, as GroupBindings#generation asks.
		private void publish(Map<Instance, IsolationGroup> next) {
			this.bindings = Map.copyOf(next);
			this.generation++;
		}

		@Override
		public IsolationGroup groupOf(Instance instance) {
			return this.bindings.getOrDefault(instance, instance.group());
		}

		@Override
		public long generation() {
			return this.generation;
		}

	}

}
