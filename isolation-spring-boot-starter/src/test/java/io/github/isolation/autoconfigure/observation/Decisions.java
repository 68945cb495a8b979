package io.github.isolation.autoconfigure.observation;

import java.util.List;
import java.util.Set;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.RouteOutcome;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/** Routing decisions as the supplier hands them to its listeners. */
final class Decisions {

	private static final ServiceInstance STABLE_INSTANCE = new DefaultServiceInstance("i-1", "inventory", "10.0.0.1",
			8080, false);

	private Decisions() {
	}

	static RouteDecision<ServiceInstance> of(RouteOutcome outcome, String service, String group) {
		List<ServiceInstance> instances = outcome.isRoutable() ? List.of(STABLE_INSTANCE) : List.of();
		// No instance at all means no stable one either: say that another group has some.
		Set<IsolationGroup> available = (outcome == RouteOutcome.NO_INSTANCE) ? Set.of(IsolationGroup.of("feature-y"))
				: Set.of(IsolationGroup.STABLE);
		return new RouteDecision<>(service, IsolationGroup.of(group), outcome, instances, available);
	}

}
