package io.github.isolation.core;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The outcome of the routing rule for one call: the instances that may be called and why.
 *
 * @param serviceId the service being called
 * @param requestedGroup the group of the request
 * @param outcome what the rule decided
 * @param instances the instances that may be called; empty unless the outcome is routable
 * @param availableGroups the groups that had at least one instance of the service
 * @param <T> the instance type
 * @since 0.1.0
 */
public record RouteDecision<T>(String serviceId, IsolationGroup requestedGroup, RouteOutcome outcome,
		List<T> instances, Set<IsolationGroup> availableGroups) {

	public RouteDecision {
		Objects.requireNonNull(serviceId, "serviceId must not be null");
		Objects.requireNonNull(requestedGroup, "requestedGroup must not be null");
		Objects.requireNonNull(outcome, "outcome must not be null");
		instances = List.copyOf(instances);
		availableGroups = Set.copyOf(availableGroups);
		if (outcome.isRoutable() == instances.isEmpty()) {
			throw new IllegalArgumentException("instances must be non-empty exactly when the outcome is routable, but was "
					+ instances.size() + " instances for " + outcome);
		}
	}

	/**
	 * The instances to call, or the exception that explains why there are none.
	 * @return the instances, never empty
	 * @throws IsolationRoutingException if the outcome is {@link RouteOutcome#FAIL_FAST} or
	 * {@link RouteOutcome#NO_INSTANCE}
	 */
	public List<T> instancesOrThrow() {
		if (!this.outcome.isRoutable()) {
			throw new IsolationRoutingException(this);
		}
		return this.instances;
	}

}
