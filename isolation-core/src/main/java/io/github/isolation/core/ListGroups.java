package io.github.isolation.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The group of each instance of one list, by position, and the routing rule of
 * {@link IsolationRouter} applied from them. It serves {@link IndexedRouter} for the lists it
 * routes by a scan. A list of new instance objects on every call (a discovery client that
 * builds its instances anew, with no caching in the chain) usually has its instances in the
 * same groups at the same positions as the list before: such a list is routed from the groups
 * of that list in one pass, one group lookup per instance, with that group as the
 * {@link InstanceGroupResolver#groupOf(Object, IsolationGroup) likely} one, and nothing
 * allocated but the instances chosen.
 *
 * <p>Immutable, and safe to share between threads.
 *
 * @since 0.1.0
 */
final class ListGroups {

	// One object per group, so that a position is in a group exactly when it holds that object.
	private final IsolationGroup[] groups;

	// Each group, as the positions hold it, with the number of its instances.
	private final Map<IsolationGroup, Count> counts;

	private final Set<IsolationGroup> available;

	private ListGroups(IsolationGroup[] groups) {
		Map<IsolationGroup, Count> counts = new HashMap<>();
		for (int i = 0; i < groups.length; i++) {
			Count count = counts.get(groups[i]);
			if (count == null) {
				count = new Count(groups[i], 0);
			}
			groups[i] = count.group();
			counts.put(groups[i], new Count(groups[i], count.instances() + 1));
		}
		this.groups = groups;
		this.counts = counts;
		this.available = Set.copyOf(counts.keySet());
	}

	/**
	 * Applies the rule to a list, asking for the group of each instance once when they are in
	 * the groups of the list routed before, and twice for some when they are not.
	 * @param serviceId the service being called
	 * @param group the request's group, {@link IsolationGroup#STABLE} when untagged
	 * @param failFast the services that must not fall back (the request's and the caller's)
	 * @param instances the instances
	 * @param groupOf the group of each instance
	 * @param previous the groups of the list routed before, {@code null} if there is none
	 * @param <T> the instance type
	 * @return the decision, equal to what {@link IsolationRouter#route} answers, and the groups
	 * of {@code instances}: {@code previous} itself when they are the same
	 */
	static <T> Routed<T> route(String serviceId, IsolationGroup group, FailFastServices failFast, List<T> instances,
			InstanceGroupResolver<? super T> groupOf, ListGroups previous) {
		if (previous != null && previous.groups.length == instances.size()) {
			RouteDecision<T> decision = previous.route(serviceId, group, failFast, instances, groupOf);
			if (decision != null) {
				return new Routed<>(decision, previous);
			}
		}
		IsolationGroup[] groups = new IsolationGroup[instances.size()];
		int i = 0;
		for (T instance : instances) {
			groups[i++] = groupOf.groupOf(instance);
		}
		ListGroups current = new ListGroups(groups);
		return new Routed<>(current.route(serviceId, group, failFast, instances, null), current);
	}

	/**
	 * The rule for a list whose instances are in these groups, position by position.
	 * @param check if not {@code null}, asked for the group of each instance, and the answer
	 * is {@code null} as soon as one is not in the group of its position
	 */
	private <T> RouteDecision<T> route(String serviceId, IsolationGroup group, FailFastServices failFast,
			List<T> instances, InstanceGroupResolver<? super T> check) {
		Count chosen = null;
		RouteOutcome outcome;
		if (!group.isStable() && (chosen = this.counts.get(group)) != null) {
			outcome = RouteOutcome.OWN_GROUP;
		}
		else if (!group.isStable() && failFast.contains(serviceId)) {
			outcome = RouteOutcome.FAIL_FAST;
		}
		else if ((chosen = this.counts.get(IsolationGroup.STABLE)) != null) {
			outcome = group.isStable() ? RouteOutcome.STABLE : RouteOutcome.FALLBACK;
		}
		else {
			outcome = RouteOutcome.NO_INSTANCE;
		}
		IsolationGroup chosenGroup = (chosen != null) ? chosen.group() : null;
		Object[] selected = new Object[(chosen != null) ? chosen.instances() : 0];
		int i = 0;
		int n = 0;
		for (T instance : instances) {
			IsolationGroup expected = this.groups[i++];
			if (check != null && !expected.equals(check.groupOf(instance, expected))) {
				return null;
			}
			if (expected == chosenGroup) {
				selected[n++] = instance;
			}
		}
		// An immutable list, which RouteDecision keeps as it is.
		@SuppressWarnings("unchecked")
		List<T> chosenInstances = (List<T>) List.of(selected);
		return new RouteDecision<>(serviceId, group, outcome, chosenInstances, this.available);
	}

	/** A decision and the groups it was made from. */
	record Routed<T>(RouteDecision<T> decision, ListGroups groups) {
	}

	private record Count(IsolationGroup group, int instances) {
	}

}
