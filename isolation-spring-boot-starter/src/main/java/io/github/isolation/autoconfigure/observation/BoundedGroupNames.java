package io.github.isolation.autoconfigure.observation;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.isolation.core.IsolationGroup;

/**
 * Group names as meter tag values, with bounded cardinality: the first {@code max} groups seen
 * keep their names, later ones are reported as {@value #OTHER}, so that a flood of short-lived
 * groups cannot grow the meter registry without bound. {@code stable} always keeps its name.
 *
 * @since 0.1.0
 */
public class BoundedGroupNames {

	/** The tag value of every group beyond the limit. */
	public static final String OTHER = "other";

	private final int max;

	private final Set<String> known = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the names.
	 * @param max how many distinct groups keep their names
	 */
	public BoundedGroupNames(int max) {
		this.max = max;
	}

	/**
	 * The tag value of a group.
	 * @param group the group
	 * @return its name, or {@value #OTHER} beyond the limit
	 */
	public String tagValue(IsolationGroup group) {
		String name = group.name();
		if (group.isStable() || this.known.contains(name)) {
			return name;
		}
		synchronized (this.known) {
			if (this.known.size() < this.max) {
				this.known.add(name);
				return name;
			}
		}
		return OTHER;
	}

}
