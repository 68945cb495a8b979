package io.github.isolation.core.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge rules in force, as one immutable value: the enabled rules in the order they are tried,
 * {@code (priority, id)}, and {@link #evaluate(RuleRequest)} that gives the first that applies.
 * The servlet edge, the WebFlux edge and Spring Cloud Gateway all decide through this.
 *
 * <p>The order and everything the conditions compare with is prepared here, and evaluating
 * allocates nothing (a {@code regex} condition's match excepted). Rules that need an
 * {@code exact} or {@code in} value of a header, cookie, query parameter or the method are filed
 * under those values ({@link RuleIndex}), so a request is tested only against the rules that can
 * apply to it and those that are not indexed; the decision is the same as trying every rule.
 *
 * @since 0.1.0
 */
public final class EdgeRules {

	/** No rules: nothing is coloured. */
	public static final EdgeRules NONE = new EdgeRules(List.of());

	/** The order rules are tried in: priority, lower first, then id. */
	public static final Comparator<EdgeRule> ORDER = Comparator.comparingInt(EdgeRule::priority)
		.thenComparing(EdgeRule::id);

	private final List<EdgeRule> all;

	private final EdgeRule[] enabled;

	private final Map<String, EdgeRule> byId;

	private final RuleIndex index;

	/**
	 * Creates the rules in force.
	 * @param rules every rule, enabled or not
	 * @throws IllegalArgumentException if two rules have the same id
	 */
	public EdgeRules(Collection<EdgeRule> rules) {
		List<EdgeRule> sorted = new ArrayList<>(rules);
		sorted.sort(ORDER);
		Map<String, EdgeRule> byId = new HashMap<>();
		List<EdgeRule> enabled = new ArrayList<>();
		for (EdgeRule rule : sorted) {
			if (byId.put(rule.id(), rule) != null) {
				throw new IllegalArgumentException("rule ids must be unique, but '" + rule.id() + "' was twice");
			}
			if (rule.enabled()) {
				enabled.add(rule);
			}
		}
		this.all = List.copyOf(sorted);
		this.enabled = enabled.toArray(new EdgeRule[0]);
		this.byId = Map.copyOf(byId);
		this.index = new RuleIndex(this.enabled);
	}

	/**
	 * The first enabled rule, in {@code (priority, id)} order, that applies to a request.
	 * @param request the request
	 * @return the rule, or {@code null} if none applies
	 */
	public EdgeRule evaluate(RuleRequest request) {
		return this.index.evaluate(request);
	}

	/**
	 * The same decision as {@link #evaluate(RuleRequest)}, by testing every enabled rule in order:
	 * the reference the index is checked against.
	 * @param request the request
	 * @return the rule, or {@code null} if none applies
	 */
	EdgeRule evaluateLinearly(RuleRequest request) {
		return this.index.evaluateLinearly(request);
	}

	// How many enabled rules the index files under a value.
	int indexedCount() {
		return this.index.indexedCount();
	}

	/**
	 * Every rule, enabled or not, in the order they are tried.
	 * @return the rules
	 */
	public List<EdgeRule> all() {
		return this.all;
	}

	/**
	 * The enabled rules, in the order they are tried.
	 * @return the rules
	 */
	public List<EdgeRule> enabled() {
		return List.of(this.enabled);
	}

	/**
	 * A rule by id.
	 * @param id the id
	 * @return the rule, or {@code null} if there is none
	 */
	public EdgeRule get(String id) {
		return this.byId.get(id);
	}

	/**
	 * How many rules there are, enabled or not.
	 * @return the count
	 */
	public int size() {
		return this.all.size();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof EdgeRules rules && this.all.equals(rules.all);
	}

	@Override
	public int hashCode() {
		return this.all.hashCode();
	}

	@Override
	public String toString() {
		return "EdgeRules" + this.all;
	}

}
