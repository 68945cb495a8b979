package io.github.isolation.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRouter;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.RouteOutcome;

/**
 * "Where would my request go": the same rule the library runs ({@link IsolationRouter}),
 * applied hop by hop to the instances the console sees now.
 *
 * <p>The request's group is its tag; an untagged request that enters at a given instance takes
 * that instance's own group (DESIGN.md section 3, rule 3), and every later hop passes it on,
 * also after a fallback. The fail-fast set is the request's list only: what each caller adds
 * with {@code isolation.fail-fast} is its own configuration, which the console cannot see.
 *
 * @since 0.1.0
 */
public class RoutePlanner {

	private final EnvironmentMonitor monitor;

	/**
	 * @param monitor where the instances come from
	 */
	public RoutePlanner(EnvironmentMonitor monitor) {
		this.monitor = monitor;
	}

	/**
	 * Plans a request's route.
	 * @param group the request's tag, empty for an untagged request
	 * @param failFast the request's fail-fast list
	 * @param chain the services the request passes, in order
	 * @param entry the address ({@code host:port}) of the first service's instance the request
	 * is sent to, empty when the first hop is routed by the rule as well
	 * @return each hop's decision, up to and including the first that fails
	 */
	public Plan plan(Optional<IsolationGroup> group, FailFastServices failFast, List<String> chain,
			Optional<String> entry) {
		Environment environment = this.monitor.environment();
		List<Hop> hops = new ArrayList<>();
		IsolationGroup requestGroup = group.orElse(IsolationGroup.STABLE);
		for (int i = 0; i < chain.size(); i++) {
			String serviceId = chain.get(i);
			List<InstanceState> running = environment.running(serviceId);
			if (i == 0 && entry.isPresent()) {
				Optional<InstanceState> at = running.stream()
					.filter((instance) -> instance.address().equals(entry.get()))
					.findFirst();
				if (at.isEmpty()) {
					hops.add(new Hop(serviceId, requestGroup, null, List.of(), null,
							"No running instance of '" + serviceId + "' at " + entry.get()));
					break;
				}
				if (group.isEmpty()) {
					requestGroup = at.get().group();
				}
				hops.add(new Hop(serviceId, requestGroup, null, List.of(at.get()), at.get().group(), null));
				continue;
			}
			RouteDecision<InstanceState> decision = IsolationRouter.route(serviceId, requestGroup, failFast, running,
					InstanceState::group);
			String failure = null;
			try {
				decision.instancesOrThrow();
			}
			catch (IsolationRoutingException ex) {
				failure = ex.getMessage();
			}
			IsolationGroup reached = decision.instances().isEmpty() ? null : decision.instances().get(0).group();
			hops.add(new Hop(serviceId, requestGroup, decision.outcome(), decision.instances(), reached, failure));
			if (failure != null) {
				break;
			}
			if (i == 0 && group.isEmpty() && reached != null) {
				requestGroup = reached;
			}
		}
		return new Plan(List.copyOf(hops));
	}

	/**
	 * One hop of a planned route.
	 *
	 * @param serviceId the service called
	 * @param requestGroup the request's group at this hop
	 * @param outcome the rule's outcome, {@code null} for the entry instance
	 * @param instances the instances the call may reach
	 * @param reached the group of those instances, {@code null} when none
	 * @param failure why the call fails, {@code null} when it does not
	 */
	public record Hop(String serviceId, IsolationGroup requestGroup, RouteOutcome outcome,
			List<InstanceState> instances, IsolationGroup reached, String failure) {

		/**
		 * @return how the page names the decision
		 */
		public String decision() {
			if (this.outcome == null) {
				return (this.failure != null) ? "no such instance" : "entry";
			}
			return switch (this.outcome) {
				case OWN_GROUP, HELD -> "own group";
				case STABLE -> "stable";
				case FALLBACK -> "fallback to stable";
				case FAIL_FAST -> "fail-fast";
				case NO_INSTANCE -> "no instance";
			};
		}

	}

	/**
	 * A planned route.
	 *
	 * @param hops each hop, up to and including the first that fails
	 */
	public record Plan(List<Hop> hops) {

		/**
		 * @return whether every hop finds an instance
		 */
		public boolean reachesEnd() {
			return this.hops.stream().allMatch((hop) -> hop.failure() == null);
		}

		/**
		 * The route in the examples' notation: {@code web@stable > orders@feature-cart > failed: reason}.
		 * @return the route as one line
		 */
		public String asRoute() {
			List<String> parts = new ArrayList<>();
			for (Hop hop : this.hops) {
				parts.add((hop.failure() != null) ? "failed: " + hop.failure()
						: hop.serviceId() + "@" + hop.reached().name());
			}
			return String.join(" > ", parts);
		}

	}

}
