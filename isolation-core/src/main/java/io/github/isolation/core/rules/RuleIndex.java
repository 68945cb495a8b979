package io.github.isolation.core.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The enabled rules of an {@link EdgeRules}, indexed so that a request is tested only against the
 * rules it can possibly meet. Built once, with the rules; immutable afterwards.
 *
 * <p>A rule whose match needs an {@code exact} or {@code in} condition on a header, cookie, query
 * parameter or the method (its match is {@code all}, or {@code any} of that one condition) can
 * only apply to a request that carries one of that condition's values there. Such a rule is
 * filed under the part it reads, {@code (source, name)}, and under each of those values; of
 * several such conditions, the one with the fewest values is used, because it leaves the fewest
 * requests to test. Every other rule is tested for every request, as before.
 *
 * <p>A request reads each indexed part once, the way the condition itself reads it (the same
 * {@link RuleRequest} method with the same name, so header names still match ignoring case and
 * only a header's first value counts), and looks the value up by {@link String#equals}, the
 * comparison {@code exact} and {@code in} make. The rules it finds there, and the unindexed ones,
 * are tested by their position in the {@code (priority, id)} order; the decision is the applying
 * rule with the lowest position, which is the rule the plain first-match loop gives, because
 * testing a rule only reads the request. Positions are held in sorted {@code int} arrays, and
 * the lowest applying one is kept in a local, so a request allocates nothing.
 */
final class RuleIndex {

	private static final int[] NO_POSITIONS = new int[0];

	private final EdgeRule[] rules;

	private final ConditionSource[] keySources;

	private final String[] keyNames;

	private final Map<String, int[]>[] positionsByValue;

	private final int[] unindexed;

	@SuppressWarnings("unchecked")
	RuleIndex(EdgeRule[] rules) {
		this.rules = rules;
		Map<Key, Map<String, List<Integer>>> buckets = new LinkedHashMap<>();
		List<Integer> unindexed = new ArrayList<>();
		for (int position = 0; position < rules.length; position++) {
			Condition condition = mostSelective(rules[position].match());
			if (condition == null) {
				unindexed.add(position);
				continue;
			}
			Map<String, List<Integer>> byValue = buckets.computeIfAbsent(
					new Key(condition.source(), condition.name()), (key) -> new HashMap<>());
			for (String value : condition.values()) {
				List<Integer> positions = byValue.computeIfAbsent(value, (v) -> new ArrayList<>());
				// Positions arrive in order; an "in" that names a value twice files the rule once.
				if (positions.isEmpty() || positions.get(positions.size() - 1) != position) {
					positions.add(position);
				}
			}
		}
		int keys = buckets.size();
		this.keySources = new ConditionSource[keys];
		this.keyNames = new String[keys];
		this.positionsByValue = new Map[keys];
		int k = 0;
		for (Map.Entry<Key, Map<String, List<Integer>>> entry : buckets.entrySet()) {
			this.keySources[k] = entry.getKey().source();
			this.keyNames[k] = entry.getKey().name();
			Map<String, int[]> byValue = new HashMap<>();
			entry.getValue().forEach((value, positions) -> byValue.put(value, toArray(positions)));
			this.positionsByValue[k] = byValue;
			k++;
		}
		this.unindexed = toArray(unindexed);
	}

	/**
	 * The applying rule with the lowest position, as {@link #evaluateLinearly} gives it.
	 * @param request the request
	 * @return the rule, or {@code null} if none applies
	 */
	EdgeRule evaluate(RuleRequest request) {
		EdgeRule[] rules = this.rules;
		// The lowest position found to apply so far; nothing at or after it needs testing.
		int best = rules.length;
		for (int k = 0; k < this.keySources.length; k++) {
			String value = read(request, this.keySources[k], this.keyNames[k]);
			if (value == null) {
				continue;
			}
			int[] positions = this.positionsByValue[k].get(value);
			if (positions != null) {
				best = firstApplying(positions, best, request);
			}
		}
		best = firstApplying(this.unindexed, best, request);
		return (best < rules.length) ? rules[best] : null;
	}

	/**
	 * The plain loop: every rule in order, the first that applies. The reference the index is
	 * checked against.
	 * @param request the request
	 * @return the rule, or {@code null} if none applies
	 */
	EdgeRule evaluateLinearly(RuleRequest request) {
		for (EdgeRule rule : this.rules) {
			if (rule.appliesTo(request)) {
				return rule;
			}
		}
		return null;
	}

	/**
	 * How many rules are filed under a value rather than tested for every request.
	 * @return the count
	 */
	int indexedCount() {
		return this.rules.length - this.unindexed.length;
	}

	private int firstApplying(int[] positions, int best, RuleRequest request) {
		for (int position : positions) {
			if (position >= best) {
				return best;
			}
			if (this.rules[position].appliesTo(request)) {
				return position;
			}
		}
		return best;
	}

	// Reads a part exactly as Condition.test does, so a value is found where the condition would meet it.
	private static String read(RuleRequest request, ConditionSource source, String name) {
		return switch (source) {
			case HEADER -> request.header(name);
			case COOKIE -> request.cookie(name);
			case QUERY -> request.queryParameter(name);
			case METHOD -> request.method();
			default -> throw new IllegalStateException("not an indexed source: " + source);
		};
	}

	// The condition the rule cannot apply without and that names the fewest values, or null.
	private static Condition mostSelective(RuleMatch match) {
		if (match == null) {
			return null;
		}
		List<Condition> conditions = match.conditions();
		if (match.mode() == RuleMatch.Mode.ANY && conditions.size() != 1) {
			// Any one of several conditions may suffice, so no single one is required.
			return null;
		}
		Condition chosen = null;
		int fewest = Integer.MAX_VALUE;
		for (Condition condition : conditions) {
			if (isIndexable(condition)) {
				int distinct = (condition.op() == ConditionOp.EXACT) ? 1
						: (int) condition.values().stream().distinct().count();
				if (distinct < fewest) {
					chosen = condition;
					fewest = distinct;
				}
			}
		}
		return chosen;
	}

	private static boolean isIndexable(Condition condition) {
		boolean valueCompared = condition.op() == ConditionOp.EXACT || condition.op() == ConditionOp.IN;
		boolean readByName = switch (condition.source()) {
			case HEADER, COOKIE, QUERY, METHOD -> true;
			case PATH, SOURCE_CIDR -> false;
		};
		return valueCompared && readByName;
	}

	private static int[] toArray(List<Integer> positions) {
		if (positions.isEmpty()) {
			return NO_POSITIONS;
		}
		int[] array = new int[positions.size()];
		for (int i = 0; i < array.length; i++) {
			array[i] = positions.get(i);
		}
		return array;
	}

	private record Key(ConditionSource source, String name) {

		Key {
			Objects.requireNonNull(source);
		}

	}

}
