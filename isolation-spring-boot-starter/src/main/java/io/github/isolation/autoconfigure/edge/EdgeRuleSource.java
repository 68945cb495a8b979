package io.github.isolation.autoconfigure.edge;

import java.util.Map;

import io.github.isolation.core.rules.EdgeRules;

/**
 * Where the edge takes its rules from on every request: the live view of the rules in
 * ZooKeeper when isolation-zk-registry is in use, else {@link #NONE}. Must answer from memory
 * at once; it is asked once per request.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface EdgeRuleSource {

	/** No rules. */
	EdgeRuleSource NONE = () -> EdgeRules.NONE;

	/**
	 * The rules in force now.
	 * @return the rules
	 */
	EdgeRules rules();

	/**
	 * The rules that are stored but not valid, and why: shown in the {@code isolation}
	 * endpoint, never applied.
	 * @return rule node name to the problem
	 */
	default Map<String, String> invalid() {
		return Map.of();
	}

}
