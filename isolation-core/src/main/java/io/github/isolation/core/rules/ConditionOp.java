package io.github.isolation.core.rules;

/**
 * How a condition compares the value it reads.
 *
 * @since 0.1.0
 */
public enum ConditionOp {

	/** Equal to the one value, ignoring nothing. */
	EXACT("exact"),

	/** Equal to one of the values. */
	IN("in"),

	/** Starts with the one value. */
	PREFIX("prefix"),

	/** The whole value matches the one bounded regular expression ({@link BoundedRegex}). */
	REGEX("regex"),

	/** The caller's address is in one of the CIDR ranges (source {@code source-cidr} only). */
	CIDR("cidr"),

	/** The header, cookie or query parameter is there, whatever its value. */
	PRESENT("present");

	private final String wireName;

	ConditionOp(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * The name in a rule's JSON.
	 * @return the name, such as {@code prefix}
	 */
	public String wireName() {
		return this.wireName;
	}

	static ConditionOp fromWire(String field, String value) {
		for (ConditionOp op : values()) {
			if (op.wireName.equals(value)) {
				return op;
			}
		}
		throw new RuleValidationException(field, "must be one of " + Rules.wireNames(values()) + ", but was "
				+ Rules.quote(value));
	}

	@Override
	public String toString() {
		return this.wireName;
	}

}
