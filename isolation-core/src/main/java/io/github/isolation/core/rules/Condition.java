package io.github.isolation.core.rules;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.isolation.core.LogSafe;

/**
 * One condition of a rule's match: what part of the request it reads ({@link ConditionSource}),
 * how it compares it ({@link ConditionOp}) and with what values. Immutable; everything a request
 * needs is prepared when the condition is made, so testing one allocates nothing (a
 * {@code regex} condition excepted: its match allocates a matcher).
 *
 * <p>Valid combinations: {@code header}, {@code cookie} and {@code query} need a {@code name};
 * {@code path} and {@code method} have none. {@code exact}, {@code prefix} and {@code regex} take
 * one value, {@code in} one or more; {@code present} takes none and only applies to named
 * sources; {@code cidr} takes one or more ranges and is the only op of {@code source-cidr}. A
 * value the request does not carry never matches.
 *
 * @since 0.1.0
 */
public final class Condition {

	/** The longest header, cookie or query parameter name. */
	public static final int MAX_NAME_LENGTH = 256;

	/** The most values one condition may hold. */
	public static final int MAX_VALUES = 1000;

	/** The longest value. */
	public static final int MAX_VALUE_LENGTH = 1024;

	private final ConditionSource source;

	private final String name;

	private final ConditionOp op;

	private final List<String> values;

	private final String single;

	private final Set<String> set;

	private final Pattern pattern;

	private final CidrRange[] ranges;

	/**
	 * Creates a condition, validating it.
	 * @param source what it reads
	 * @param name the header, cookie or query parameter name; {@code null} for the other sources
	 * @param op how it compares
	 * @param values the values to compare with
	 * @throws RuleValidationException naming the field ({@code source}, {@code name}, {@code op}
	 * or {@code values}) that is wrong
	 */
	public Condition(ConditionSource source, String name, ConditionOp op, List<String> values) {
		if (source == null) {
			throw new RuleValidationException("source", "must be one of " + Rules.wireNames(ConditionSource.values())
					+ ", but was missing");
		}
		if (op == null) {
			throw new RuleValidationException("op", "must be one of " + Rules.wireNames(ConditionOp.values())
					+ ", but was missing");
		}
		if (source.isNamed()) {
			if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
				throw new RuleValidationException("name", "must be 1 to " + MAX_NAME_LENGTH + " characters for source "
						+ source + ", but was " + Rules.quote(name));
			}
		}
		else if (name != null) {
			throw new RuleValidationException("name", "must be absent for source " + source + ", but was "
					+ Rules.quote(name));
		}
		if ((source == ConditionSource.SOURCE_CIDR) != (op == ConditionOp.CIDR)) {
			throw new RuleValidationException("op", (source == ConditionSource.SOURCE_CIDR)
					? "must be cidr for source source-cidr, but was " + op
					: "must not be cidr for source " + source + " (cidr is for source-cidr), but was " + op);
		}
		if (op == ConditionOp.PRESENT && !source.isNamed()) {
			throw new RuleValidationException("op", "must not be present for source " + source
					+ " (a request always has one), but was " + op);
		}
		List<String> copy = (values != null) ? List.copyOf(values) : List.of();
		int expected = switch (op) {
			case EXACT, PREFIX, REGEX -> 1;
			case PRESENT -> 0;
			case IN, CIDR -> -1;
		};
		if (expected == 0 && !copy.isEmpty()) {
			throw new RuleValidationException("values", "must be absent for op present, but was " + copy.size()
					+ " values");
		}
		if (expected == 1 && copy.size() != 1) {
			throw new RuleValidationException("values", "must hold exactly one value for op " + op + ", but was "
					+ copy.size() + " values");
		}
		if (expected < 0 && (copy.isEmpty() || copy.size() > MAX_VALUES)) {
			throw new RuleValidationException("values", "must hold 1 to " + MAX_VALUES + " values for op " + op
					+ ", but was " + copy.size() + " values");
		}
		for (int i = 0; i < copy.size(); i++) {
			if (copy.get(i).length() > MAX_VALUE_LENGTH) {
				throw new RuleValidationException("values[" + i + "]", "must be at most " + MAX_VALUE_LENGTH
						+ " characters, but was " + copy.get(i).length());
			}
			int first = copy.indexOf(copy.get(i));
			if (first != i) {
				throw new RuleValidationException("values[" + i + "]",
						"must not repeat values[" + first + "], but was " + LogSafe.quote(copy.get(i)));
			}
		}
		this.source = source;
		this.name = (source == ConditionSource.HEADER) ? lowerCase(name) : name;
		this.op = op;
		this.values = copy;
		this.single = (expected == 1) ? copy.get(0) : null;
		this.set = (op == ConditionOp.IN) ? Set.copyOf(copy) : Set.of();
		this.pattern = (op == ConditionOp.REGEX) ? BoundedRegex.compile("values[0]", this.single) : null;
		if (op == ConditionOp.CIDR) {
			this.ranges = new CidrRange[copy.size()];
			for (int i = 0; i < copy.size(); i++) {
				this.ranges[i] = CidrRange.parse("values[" + i + "]", copy.get(i));
			}
		}
		else {
			this.ranges = new CidrRange[0];
		}
	}

	/**
	 * Whether a request meets this condition.
	 * @param request the request
	 * @return {@code true} if it does
	 */
	public boolean test(RuleRequest request) {
		String value = switch (this.source) {
			case HEADER -> request.header(this.name);
			case COOKIE -> request.cookie(this.name);
			case QUERY -> request.queryParameter(this.name);
			case PATH -> request.path();
			case METHOD -> request.method();
			case SOURCE_CIDR -> request.sourceAddress();
		};
		if (value == null) {
			return false;
		}
		return switch (this.op) {
			case PRESENT -> true;
			case EXACT -> this.single.equals(value);
			case PREFIX -> value.startsWith(this.single);
			case IN -> this.set.contains(value);
			case REGEX -> BoundedRegex.matches(this.pattern, value);
			case CIDR -> inRanges(value);
		};
	}

	private boolean inRanges(String address) {
		for (CidrRange range : this.ranges) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * What it reads.
	 * @return the source
	 */
	public ConditionSource source() {
		return this.source;
	}

	/**
	 * The header (lower case), cookie or query parameter name.
	 * @return the name, or {@code null} for the other sources
	 */
	public String name() {
		return this.name;
	}

	/**
	 * How it compares.
	 * @return the op
	 */
	public ConditionOp op() {
		return this.op;
	}

	/**
	 * The values it compares with.
	 * @return the values, empty for {@code present}
	 */
	public List<String> values() {
		return this.values;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Condition condition && this.source == condition.source
				&& Objects.equals(this.name, condition.name) && this.op == condition.op
				&& this.values.equals(condition.values);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.source, this.name, this.op, this.values);
	}

	@Override
	public String toString() {
		return this.source + ((this.name != null) ? ":" + this.name : "") + " " + this.op + " " + this.values;
	}

	static String lowerCase(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

}
