package io.github.isolation.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.isolation.core.IsolationGroup;

/**
 * What the console knows at one moment: every service, every group and the instances of each
 * service in each group, joined from discovery and the bindings. Immutable; a new one replaces
 * it on every change.
 *
 * @param version goes up by one whenever what is shown changes, so that a page that polls can
 * tell it has the latest
 * @param refreshedAt when discovery was last read
 * @param services the service ids, sorted
 * @param groups the groups, stable first, then by name
 * @param cells every instance, by service id and then group, sorted by address
 * @param sourceBindings source IP to group
 * @param skipped nodes that are not well-formed bindings
 * @param zookeeper the bindings view's connection state
 * @param discoveryProblem why discovery could not be read, {@code null} when it could
 * @since 0.1.0
 */
public record Environment(long version, Instant refreshedAt, List<String> services, List<IsolationGroup> groups,
		Map<String, Map<IsolationGroup, List<InstanceState>>> cells, Map<String, IsolationGroup> sourceBindings,
		List<SkippedNode> skipped, String zookeeper, String discoveryProblem) {

	/** Nothing known yet. */
	public static final Environment EMPTY = new Environment(0, Instant.EPOCH, List.of(), List.of(IsolationGroup.STABLE),
			Map.of(), Map.of(), List.of(), "LATENT", null);

	/**
	 * The instances of a service in a group.
	 * @param serviceId the service
	 * @param group the group
	 * @return the instances, up and down
	 */
	public List<InstanceState> cell(String serviceId, IsolationGroup group) {
		return this.cells.getOrDefault(serviceId, Map.of()).getOrDefault(group, List.of());
	}

	/**
	 * The running instances of a cell as one line each, {@code host:port source}: one text
	 * node per cell keeps a page of thousands of instances light for the browser.
	 * @param serviceId the service
	 * @param group the group
	 * @param shown how values are cut
	 * @return the lines, empty when no instance runs
	 */
	public String upText(String serviceId, IsolationGroup group, Shown shown) {
		StringBuilder text = new StringBuilder();
		for (InstanceState instance : cell(serviceId, group)) {
			if (instance.up()) {
				text.append(shown.text(instance.address())).append(' ').append(instance.source().shortLabel()).append('\n');
			}
		}
		return text.toString();
	}

	/**
	 * The instances of a cell that are down.
	 * @param serviceId the service
	 * @param group the group
	 * @return those instances
	 */
	public List<InstanceState> down(String serviceId, IsolationGroup group) {
		List<InstanceState> cell = cell(serviceId, group);
		return cell.stream().allMatch(InstanceState::up) ? List.of() : cell.stream().filter((i) -> !i.up()).toList();
	}

	/**
	 * The instances of a service that discovery lists now, as routing sees them.
	 * @param serviceId the service
	 * @return the running instances
	 */
	public List<InstanceState> running(String serviceId) {
		return this.cells.getOrDefault(serviceId, Map.of())
			.values()
			.stream()
			.flatMap(List::stream)
			.filter(InstanceState::up)
			.toList();
	}

	boolean sameContent(Environment other) {
		return this.services.equals(other.services) && this.groups.equals(other.groups)
				&& this.cells.equals(other.cells) && this.sourceBindings.equals(other.sourceBindings)
				&& this.skipped.equals(other.skipped) && this.zookeeper.equals(other.zookeeper)
				&& java.util.Objects.equals(this.discoveryProblem, other.discoveryProblem);
	}

}
