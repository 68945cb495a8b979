package io.github.isolation.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The routing rule of {@link IsolationRouter}, decided in advance for one list of instances of
 * one service: the list is scanned once, when the index is built, and every call after that
 * costs a hash lookup by the request's group and returns a decision made earlier, without
 * copying or scanning the list. The decisions are equal to what
 * {@link IsolationRouter#route IsolationRouter.route} answers for the same list, and their
 * instance lists are immutable and shared between calls.
 *
 * <p>An index is immutable as far as its callers can see, and safe to share between threads.
 * It stands for the list it was built from as that list was then: it knows that list by
 * identity ({@link #isFor}), and does not notice a list changed in place or a change of the
 * groups of its instances; {@link IndexedRouter} builds a new index when either may have
 * happened.
 *
 * @param <T> the instance type
 * @since 0.1.0
 */
public final class InstanceListIndex<T> {

	// Decisions for groups that have no instance are made on first use; a bound keeps a flood of
	// made-up group names from the network from growing memory. Past it they are made per call.
	static final int MAX_REMEMBERED_FALLBACKS = 64;

	private final String serviceId;

	private final List<T> instances;

	// The elements as they were when indexed, so that a list changed in place since cannot pass
	// for a new list of the same instances.
	private final Object[] elements;

	private final long generation;

	// The key that FailFastServices stores, so that the fail-fast check allocates nothing.
	private final String failFastKey;

	private final List<T> stable;

	private final Set<IsolationGroup> availableGroups;

	private final RouteDecision<T> untagged;

	// OWN_GROUP decisions for every group with instances, filled before the index is published;
	// fallback decisions are added on first use.
	private final ConcurrentHashMap<IsolationGroup, RouteDecision<T>> decisions;

	private InstanceListIndex(String serviceId, List<T> instances, long generation,
			InstanceGroupResolver<? super T> groupOf) {
		this.serviceId = Objects.requireNonNull(serviceId, "serviceId must not be null");
		this.instances = Objects.requireNonNull(instances, "instances must not be null");
		this.elements = instances.toArray();
		this.generation = generation;
		this.failFastKey = lowerCaseAscii(serviceId);
		List<T> stableInstances = new ArrayList<>();
		Map<IsolationGroup, List<T>> byGroup = new HashMap<>();
		for (T instance : instances) {
			IsolationGroup group = groupOf.groupOf(instance);
			if (group.isStable()) {
				stableInstances.add(instance);
			}
			else {
				byGroup.computeIfAbsent(group, (key) -> new ArrayList<>()).add(instance);
			}
		}
		Set<IsolationGroup> available = new HashSet<>(byGroup.keySet());
		if (!stableInstances.isEmpty()) {
			available.add(IsolationGroup.STABLE);
		}
		// Immutable copies made once: RouteDecision keeps an immutable list as it is, so every
		// decision below shares these without copying again.
		this.stable = List.copyOf(stableInstances);
		this.availableGroups = Set.copyOf(available);
		this.untagged = this.stable.isEmpty() ? noInstance(IsolationGroup.STABLE)
				: new RouteDecision<>(serviceId, IsolationGroup.STABLE, RouteOutcome.STABLE, this.stable,
						this.availableGroups);
		this.decisions = new ConcurrentHashMap<>(Math.max(16, 2 * (byGroup.size() + 1)));
		byGroup.forEach((group, own) -> this.decisions.put(group,
				new RouteDecision<>(serviceId, group, RouteOutcome.OWN_GROUP, own, this.availableGroups)));
	}

	/**
	 * Builds the index of a list: asks for the group of every instance once.
	 * @param serviceId the service the instances belong to
	 * @param instances the instances, which must not change while the index is in use
	 * @param groupOf the group of each instance
	 * @param generation the {@link InstanceGroupResolver#generation(String) generation} of
	 * {@code groupOf}, read before this call
	 * @param <T> the instance type
	 * @return the index
	 */
	public static <T> InstanceListIndex<T> build(String serviceId, List<T> instances,
			InstanceGroupResolver<? super T> groupOf, long generation) {
		return new InstanceListIndex<>(serviceId, instances, generation, groupOf);
	}

	/**
	 * Whether this index stands for a list: the same list object, of the same size, under the
	 * same generation of groups.
	 * @param serviceId the service being called
	 * @param instances the list
	 * @param generation the current generation of the groups
	 * @return {@code true} if {@link #route} answers for that list
	 */
	public boolean isFor(String serviceId, List<?> instances, long generation) {
		// The size is checked too because it costs nothing and catches a list grown or shrunk in
		// place, the most likely way a supplier would break the rule of emitting a new list.
		return this.instances == instances && this.generation == generation
				&& this.elements.length == instances.size() && this.serviceId.equals(serviceId);
	}

	/**
	 * Whether this index stands for another list object that holds the same instance objects,
	 * in the same order, under the same generation of groups: what a supplier that copies or
	 * filters on every call (zone preference, for one) hands over. Costs one identity
	 * comparison per instance, far less than asking for their groups again.
	 * @param serviceId the service being called
	 * @param instances the list
	 * @param generation the current generation of the groups
	 * @return {@code true} if {@link #route} answers for that list
	 */
	public boolean isForSameInstances(String serviceId, List<?> instances, long generation) {
		return this.generation == generation && this.serviceId.equals(serviceId) && sameElements(this.elements, instances);
	}

	static boolean sameElements(Object[] elements, List<?> instances) {
		if (elements.length != instances.size()) {
			return false;
		}
		int i = 0;
		for (Object instance : instances) {
			if (i >= elements.length || elements[i++] != instance) {
				return false;
			}
		}
		return i == elements.length;
	}

	/**
	 * The decision of the routing rule for a call from a request in a group. Allocates nothing
	 * for a request in {@code stable}, in a group with instances, or falling back; only a
	 * decision that makes no call ({@link RouteOutcome#FAIL_FAST}, and
	 * {@link RouteOutcome#NO_INSTANCE} past a bound on remembered groups) is made per call.
	 * @param group the request's group, {@link IsolationGroup#STABLE} when untagged
	 * @param failFast the services that must not fall back (the request's and the caller's)
	 * @return the decision, equal to what {@link IsolationRouter#route} answers for the list
	 */
	public RouteDecision<T> route(IsolationGroup group, FailFastServices failFast) {
		if (group.isStable()) {
			return this.untagged;
		}
		RouteDecision<T> known = this.decisions.get(group);
		if (known != null && known.outcome() == RouteOutcome.OWN_GROUP) {
			return known;
		}
		if (!failFast.isEmpty() && failFast.serviceIds().contains(this.failFastKey)) {
			return new RouteDecision<>(this.serviceId, group, RouteOutcome.FAIL_FAST, List.of(), this.availableGroups);
		}
		if (known != null) {
			return known;
		}
		RouteDecision<T> fallback = this.stable.isEmpty() ? noInstance(group)
				: new RouteDecision<>(this.serviceId, group, RouteOutcome.FALLBACK, this.stable, this.availableGroups);
		// The size check races with other threads, so the bound may be passed by a few entries.
		if (this.decisions.size() < MAX_REMEMBERED_FALLBACKS + this.availableGroups.size()) {
			RouteDecision<T> raced = this.decisions.putIfAbsent(group, fallback);
			return (raced != null) ? raced : fallback;
		}
		return fallback;
	}

	/**
	 * Hands over the instances of each group other than stable, as this index routes to them.
	 * @param action what takes each group and its instances
	 */
	void forEachOwnGroup(BiConsumer<IsolationGroup, List<T>> action) {
		this.decisions.forEach((group, decision) -> {
			if (decision.outcome() == RouteOutcome.OWN_GROUP) {
				action.accept(group, decision.instances());
			}
		});
	}

	/**
	 * The service this index is for.
	 * @return the service id
	 */
	public String serviceId() {
		return this.serviceId;
	}

	/**
	 * The generation of groups this index was built under.
	 * @return the generation
	 */
	public long generation() {
		return this.generation;
	}

	/**
	 * The groups that have at least one instance in the list.
	 * @return the groups
	 */
	public Set<IsolationGroup> availableGroups() {
		return this.availableGroups;
	}

	private RouteDecision<T> noInstance(IsolationGroup group) {
		return new RouteDecision<>(this.serviceId, group, RouteOutcome.NO_INSTANCE, List.of(), this.availableGroups);
	}

	// The same folding as FailFastServices: only A-Z, so that a non-ASCII id never matches.
	private static String lowerCaseAscii(String value) {
		char[] chars = value.toCharArray();
		for (int i = 0; i < chars.length; i++) {
			if (chars[i] >= 'A' && chars[i] <= 'Z') {
				chars[i] = (char) (chars[i] + ('a' - 'A'));
			}
		}
		return new String(chars);
	}

}
