package io.github.isolation.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The routing rule, as one pure function. For a call to a service from a request in group
 * {@code G}, in this order:
 * <ol>
 * <li>{@code G} is not stable and some instances are in {@code G}: only those
 * ({@link RouteOutcome#OWN_GROUP});</li>
 * <li>{@code G} is not stable, none is in {@code G} and the service is fail-fast: no instance
 * ({@link RouteOutcome#FAIL_FAST});</li>
 * <li>some instances are stable: only those ({@link RouteOutcome#STABLE} for an untagged
 * request, {@link RouteOutcome#FALLBACK} for a tagged one);</li>
 * <li>otherwise no instance ({@link RouteOutcome#NO_INSTANCE}).</li>
 * </ol>
 * It never answers "any instance": untagged traffic never reaches a non-stable instance, and a
 * tagged request never reaches another group's instance.
 *
 * <p>"Some instances are in {@code G}" is what the list says. {@link IndexedRouter}, which
 * applications route through, also counts instances of {@code G} that an earlier list had and
 * that are known to be still running ({@link RouteOutcome#HELD}), so that a list that leaves
 * one out for a moment does not send {@code G}'s calls to stable.
 *
 * @since 0.1.0
 */
public final class IsolationRouter {

	private IsolationRouter() {
	}

	/**
	 * Applies the rule to the instances of one service.
	 * @param serviceId the service being called
	 * @param group the request's group, {@link IsolationGroup#STABLE} when untagged
	 * @param failFast the services that must not fall back (the request's and the caller's)
	 * @param instances the instances discovery returned
	 * @param groupOf the group of each instance
	 * @param <T> the instance type
	 * @return the decision, whose instances keep the order they had in {@code instances}
	 */
	public static <T> RouteDecision<T> route(String serviceId, IsolationGroup group, FailFastServices failFast,
			List<T> instances, InstanceGroupResolver<? super T> groupOf) {
		List<T> own = new ArrayList<>();
		List<T> stable = new ArrayList<>();
		Set<IsolationGroup> available = new HashSet<>();
		for (T instance : instances) {
			IsolationGroup instanceGroup = groupOf.groupOf(instance);
			available.add(instanceGroup);
			if (instanceGroup.isStable()) {
				stable.add(instance);
			}
			else if (instanceGroup.equals(group)) {
				own.add(instance);
			}
		}
		if (!group.isStable()) {
			if (!own.isEmpty()) {
				return new RouteDecision<>(serviceId, group, RouteOutcome.OWN_GROUP, own, available);
			}
			if (failFast.contains(serviceId)) {
				return new RouteDecision<>(serviceId, group, RouteOutcome.FAIL_FAST, List.of(), available);
			}
		}
		if (!stable.isEmpty()) {
			RouteOutcome outcome = group.isStable() ? RouteOutcome.STABLE : RouteOutcome.FALLBACK;
			return new RouteDecision<>(serviceId, group, outcome, stable, available);
		}
		return new RouteDecision<>(serviceId, group, RouteOutcome.NO_INSTANCE, List.of(), available);
	}

}
