package io.github.isolation.core.rules;

import java.util.List;

/**
 * The match of a rule: {@code all} of its conditions or {@code any} of them.
 *
 * @param mode whether all or any conditions must hold
 * @param conditions the conditions, 1 to {@value #MAX_CONDITIONS}
 * @since 0.1.0
 */
public record RuleMatch(Mode mode, List<Condition> conditions) {

	/** The most conditions one match may hold. */
	public static final int MAX_CONDITIONS = 64;

	public RuleMatch {
		if (mode == null) {
			throw new RuleValidationException("match", "must hold all or any, but was neither");
		}
		conditions = (conditions != null) ? List.copyOf(conditions) : List.of();
		if (conditions.isEmpty() || conditions.size() > MAX_CONDITIONS) {
			throw new RuleValidationException(mode.wireName(), "must hold 1 to " + MAX_CONDITIONS
					+ " conditions, but was " + conditions.size());
		}
	}

	/**
	 * A match of all conditions.
	 * @param conditions the conditions
	 * @return the match
	 */
	public static RuleMatch all(Condition... conditions) {
		return new RuleMatch(Mode.ALL, List.of(conditions));
	}

	/**
	 * A match of any condition.
	 * @param conditions the conditions
	 * @return the match
	 */
	public static RuleMatch any(Condition... conditions) {
		return new RuleMatch(Mode.ANY, List.of(conditions));
	}

	/** Whether all or any conditions must hold. */
	public enum Mode {

		/** Every condition. */
		ALL("all"),

		/** At least one condition. */
		ANY("any");

		private final String wireName;

		Mode(String wireName) {
			this.wireName = wireName;
		}

		/**
		 * The name in a rule's JSON.
		 * @return {@code all} or {@code any}
		 */
		public String wireName() {
			return this.wireName;
		}

		@Override
		public String toString() {
			return this.wireName;
		}

	}

}
