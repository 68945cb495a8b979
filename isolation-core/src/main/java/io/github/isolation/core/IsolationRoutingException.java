package io.github.isolation.core;

import java.util.Set;
import java.util.TreeSet;

/**
 * A call that the routing rule refused to make, with a message that says which service, which
 * group was wanted, which groups were available and what to do about it.
 *
 * @since 0.1.0
 */
public class IsolationRoutingException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String serviceId;

	private final IsolationGroup requestedGroup;

	private final RouteOutcome outcome;

	private final Set<IsolationGroup> availableGroups;

	/**
	 * Creates the exception for a decision that carries no instance.
	 * @param decision the decision, whose outcome is {@link RouteOutcome#FAIL_FAST} or
	 * {@link RouteOutcome#NO_INSTANCE}
	 */
	public IsolationRoutingException(RouteDecision<?> decision) {
		super(message(decision));
		this.serviceId = decision.serviceId();
		this.requestedGroup = decision.requestedGroup();
		this.outcome = decision.outcome();
		this.availableGroups = decision.availableGroups();
	}

	/**
	 * The service that could not be called.
	 * @return the service id
	 */
	public String getServiceId() {
		return this.serviceId;
	}

	/**
	 * The group the request asked for.
	 * @return the group
	 */
	public IsolationGroup getRequestedGroup() {
		return this.requestedGroup;
	}

	/**
	 * Why no call was made.
	 * @return {@link RouteOutcome#FAIL_FAST} or {@link RouteOutcome#NO_INSTANCE}
	 */
	public RouteOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * The groups that did have instances of the service.
	 * @return the groups, possibly empty
	 */
	public Set<IsolationGroup> getAvailableGroups() {
		return this.availableGroups;
	}

	private static String message(RouteDecision<?> decision) {
		String service = LogSafe.quote(decision.serviceId());
		String group = "'" + decision.requestedGroup() + "'";
		String available = available(decision.availableGroups());
		if (decision.outcome() == RouteOutcome.FAIL_FAST) {
			return "No instance of " + service + " in isolation group " + group + " and " + service
					+ " is fail-fast (" + available + "); start one in " + group + " or remove " + service
					+ " from the fail-fast list (the request's isolation-fail-fast tag, or the calling service's"
					+ " isolation.fail-fast property)";
		}
		if (decision.availableGroups().isEmpty()) {
			return "No instance of " + service + " for isolation group " + group
					+ " (discovery returned none); start one, in '" + IsolationGroup.STABLE + "' to serve every group";
		}
		if (decision.requestedGroup().isStable()) {
			return "No stable instance of " + service + " (" + available + "); untagged requests only reach '"
					+ IsolationGroup.STABLE + "': start a stable instance of " + service
					+ " or tag the request with one of those groups";
		}
		return "No instance of " + service + " in isolation group " + group + " nor in '" + IsolationGroup.STABLE
				+ "' (" + available + "); start one in " + group + " or a stable one";
	}

	private static String available(Set<IsolationGroup> groups) {
		if (groups.isEmpty()) {
			return "no instance in any group";
		}
		Set<String> names = new TreeSet<>();
		groups.forEach((group) -> names.add(group.name()));
		return "instances only in " + String.join(", ", names);
	}

}
