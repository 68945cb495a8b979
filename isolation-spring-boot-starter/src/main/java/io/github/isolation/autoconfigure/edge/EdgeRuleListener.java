package io.github.isolation.autoconfigure.edge;

import io.github.isolation.core.rules.EdgeRule;

/**
 * Told each time an edge rule applies to a request, on the request's thread: keep it cheap,
 * and never throw.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface EdgeRuleListener {

	/**
	 * A rule applied to a request.
	 * @param rule the rule
	 * @param outcome what became of the request
	 */
	void applied(EdgeRule rule, EdgeRuleOutcome outcome);

}
