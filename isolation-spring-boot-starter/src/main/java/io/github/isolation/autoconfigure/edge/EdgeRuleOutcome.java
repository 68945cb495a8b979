package io.github.isolation.autoconfigure.edge;

/**
 * What became of a request an edge rule applied to.
 *
 * @since 0.1.0
 */
public enum EdgeRuleOutcome {

	/** The request entered the rule's group. */
	COLOURED,

	/**
	 * The rule's group is outside {@code isolation.edge.allowed-groups}: the request stayed
	 * uncoloured, and no later rule was tried.
	 */
	GROUP_NOT_ALLOWED;

	/**
	 * The outcome as a meter tag value.
	 * @return {@code coloured} or {@code group_not_allowed}
	 */
	public String tagValue() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
