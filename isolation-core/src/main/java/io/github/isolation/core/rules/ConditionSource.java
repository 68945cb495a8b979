package io.github.isolation.core.rules;

/**
 * What part of a request a condition reads.
 *
 * @since 0.1.0
 */
public enum ConditionSource {

	/** A header, by name (ignoring case); the first value when there are several. */
	HEADER("header", true),

	/** A cookie, by name; the first value when there are several. */
	COOKIE("cookie", true),

	/** A query parameter, by name; the first value when there are several. */
	QUERY("query", true),

	/** The request's path, without the query. */
	PATH("path", false),

	/** The request's method, such as {@code GET}. */
	METHOD("method", false),

	/** The caller's address, through trusted proxies. */
	SOURCE_CIDR("source-cidr", false);

	private final String wireName;

	private final boolean named;

	ConditionSource(String wireName, boolean named) {
		this.wireName = wireName;
		this.named = named;
	}

	/**
	 * The name in a rule's JSON.
	 * @return the name, such as {@code source-cidr}
	 */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Whether a condition on this source needs a {@code name}.
	 * @return {@code true} for header, cookie and query
	 */
	public boolean isNamed() {
		return this.named;
	}

	static ConditionSource fromWire(String field, String value) {
		for (ConditionSource source : values()) {
			if (source.wireName.equals(value)) {
				return source;
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
