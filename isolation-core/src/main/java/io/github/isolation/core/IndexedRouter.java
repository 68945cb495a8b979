package io.github.isolation.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing rule of {@link IsolationRouter}, decided once per list of instances rather than
 * once per call. For each service it remembers the last list it was given: while calls keep
 * bringing that same list object and the
 * {@link InstanceGroupResolver#generation(String) generation} of that service's groups stays
 * the same, each call is answered from an {@link InstanceListIndex} by a hash
 * lookup, without copying or scanning the list. The answers are those of
 * {@link IsolationRouter#route IsolationRouter.route}, but for instances held while they run
 * (below).
 *
 * <p>A list counts as the same when it is the same object or, failing that, a list of the same
 * instance objects in the same order (what a supplier that copies or filters on every call
 * hands over; checking that costs one identity comparison per instance, far less than asking
 * for their groups). A list is indexed the second time it is seen in a row; the first time it
 * is routed by a scan that asks for the group of each instance. So a supplier that replays the
 * same list (Spring Cloud's caching supplier) pays for one scan and one index per list, and one
 * that emits new instance objects on every call costs one scan per call, as without an index.
 * That scan keeps the group of each position of the list: while the new instances are in the
 * same groups at the same positions as those before (the usual case), it allocates nothing but
 * the list of instances it chooses.
 *
 * <p>Thread-safe without locks: each service has one volatile reference to its last list or
 * index. Two threads that see a new list at once may both build an index, and the last one
 * written stays; either answers the same. The number of services remembered is bounded; calls
 * to services beyond the bound are routed by {@link IsolationRouter#route} each time.
 *
 * <p><b>Instances that still run are held.</b> Discovery can leave out an instance that never
 * stopped, for a moment (a registry re-registering it) or for longer (a health check, a list
 * cached in that moment). For each service the router remembers the instances of each group
 * in the last list that had any. When a list lacks a group that a call asks for, the call
 * goes to those remembered instances that the resolver says are
 * {@link InstanceGroupResolver#isRunningIn still running in it}, rather than falling back to
 * stable; the decision is then {@link RouteOutcome#HELD} over them. When none is, the
 * call falls back as the rule says and the group's instances are forgotten. With a resolver
 * that knows of no such sign (the default) every decision is that of
 * {@link IsolationRouter#route}.
 *
 * <p>What it relies on: a list, once handed over, is not changed in place (a list that grows or
 * shrinks in place is noticed; one whose elements are replaced is not), and the group of an
 * instance changes only together with the resolver's generation for its service.
 *
 * @param <T> the instance type
 * @since 0.1.0
 */
public final class IndexedRouter<T> {

	static final int MAX_SERVICES = 1024;

	static final int MAX_GROUPS_SEEN = 64;

	private final InstanceGroupResolver<? super T> groupOf;

	private final ConcurrentHashMap<String, Slot<T>> slots = new ConcurrentHashMap<>();

	/**
	 * Creates a router.
	 * @param groupOf the group of each instance, whose generation changes whenever a group may
	 */
	public IndexedRouter(InstanceGroupResolver<? super T> groupOf) {
		this.groupOf = Objects.requireNonNull(groupOf, "groupOf must not be null");
	}

	/**
	 * Applies the rule to the instances of one service.
	 * @param serviceId the service being called
	 * @param group the request's group, {@link IsolationGroup#STABLE} when untagged
	 * @param failFast the services that must not fall back (the request's and the caller's)
	 * @param instances the instances discovery returned; not to be changed afterwards
	 * @return the decision, equal to what {@link IsolationRouter#route} answers unless it holds
	 * instances that still run, whose instances keep the order they had in {@code instances}
	 */
	public RouteDecision<T> route(String serviceId, IsolationGroup group, FailFastServices failFast,
			List<T> instances) {
		// Read before any group is, so that what is kept is never older than the generation it
		// is kept under. The service's own: a change of another service's groups keeps this index.
		long generation = this.groupOf.generation(serviceId);
		Slot<T> slot = slot(serviceId);
		if (slot == null) {
			return IsolationRouter.route(serviceId, group, failFast, instances, this.groupOf);
		}
		RouteDecision<T> decision;
		Object last = slot.last;
		if (last instanceof InstanceListIndex<?> index && (index.isFor(serviceId, instances, generation)
				|| index.isForSameInstances(serviceId, instances, generation))) {
			@SuppressWarnings("unchecked")
			InstanceListIndex<T> same = (InstanceListIndex<T>) index;
			decision = same.route(group, failFast);
		}
		else if (last instanceof Seen seen && seen.isFor(instances, generation)) {
			InstanceListIndex<T> index = InstanceListIndex.build(serviceId, instances, this.groupOf, generation);
			slot.last = index;
			index.forEachOwnGroup(slot::saw);
			decision = index.route(group, failFast);
		}
		else {
			// The groups of the list before are only a guess, checked instance by instance, so
			// they serve whatever their generation.
			ListGroups.Routed<T> routed = ListGroups.route(serviceId, group, failFast, instances, this.groupOf,
					(last instanceof Seen seen) ? seen.groups() : null);
			slot.last = new Seen(instances, instances.size(), generation, routed.groups());
			decision = routed.decision();
			if (decision.outcome() == RouteOutcome.OWN_GROUP) {
				slot.saw(group, decision.instances());
			}
		}
		if (group.isStable() || decision.outcome() == RouteOutcome.OWN_GROUP) {
			return decision;
		}
		return slot.heldOr(decision, this.groupOf);
	}

	private Slot<T> slot(String serviceId) {
		Slot<T> slot = this.slots.get(serviceId);
		if (slot != null || this.slots.size() >= MAX_SERVICES) {
			return slot;
		}
		return this.slots.computeIfAbsent(serviceId, (id) -> new Slot<>());
	}

	/** The last list or index of one service, and the last instances seen of each group. */
	private static final class Slot<T> {

		// Either a Seen or an InstanceListIndex; both immutable, so a plain volatile publishes them.
		volatile Object last;

		// Group -> its instances in the last list that had any. Bounded, like the services.
		private final ConcurrentHashMap<IsolationGroup, List<T>> lastOfGroup = new ConcurrentHashMap<>();

		void saw(IsolationGroup group, List<T> instances) {
			if (!group.isStable() && (this.lastOfGroup.size() < MAX_GROUPS_SEEN || this.lastOfGroup.containsKey(group))) {
				this.lastOfGroup.put(group, instances);
			}
		}

		/**
		 * The decision to call the instances of the group last seen that still run in it, if
		 * any do; otherwise the given decision, and the group's instances are forgotten.
		 */
		RouteDecision<T> heldOr(RouteDecision<T> decision, InstanceGroupResolver<? super T> groupOf) {
			IsolationGroup group = decision.requestedGroup();
			List<T> seen = this.lastOfGroup.get(group);
			if (seen == null) {
				return decision;
			}
			List<T> running = new ArrayList<>(seen.size());
			for (T instance : seen) {
				if (groupOf.isRunningIn(instance, group)) {
					running.add(instance);
				}
			}
			if (running.isEmpty()) {
				this.lastOfGroup.remove(group, seen);
				return decision;
			}
			Set<IsolationGroup> available = new HashSet<>(decision.availableGroups());
			available.add(group);
			return new RouteDecision<>(decision.serviceId(), group, RouteOutcome.HELD, running, available);
		}

	}

	/** A list routed once, to be indexed if it comes again, and the groups of its instances. */
	private record Seen(List<?> instances, int size, long generation, ListGroups groups) {

		// The list seen may have changed in place since, which is harmless here: a match only
		// means the candidate is indexed, from what the candidate holds now.
		boolean isFor(List<?> candidate, long candidateGeneration) {
			if (this.generation != candidateGeneration || this.size != candidate.size()) {
				return false;
			}
			return this.instances == candidate || sameInstances(this.instances, candidate);
		}

		private static boolean sameInstances(List<?> seen, List<?> candidate) {
			Iterator<?> a = seen.iterator();
			Iterator<?> b = candidate.iterator();
			while (a.hasNext() && b.hasNext()) {
				if (a.next() != b.next()) {
					return false;
				}
			}
			return !a.hasNext() && !b.hasNext();
		}

	}

}
