package io.github.isolation.core;

/**
 * Why a tag received from the network was not accepted. Rejected tags are dropped, never
 * echoed raw, and never fail the request that carried them.
 *
 * @since 0.1.0
 */
public enum TagRejection {

	/** The value was empty or blank. */
	EMPTY("empty"),

	/** The value was longer than allowed. */
	TOO_LONG("too long"),

	/** The value held characters outside the allowed set. */
	INVALID_CHARACTERS("invalid characters"),

	/** A list held more entries than allowed; the entries beyond the limit were dropped. */
	TOO_MANY_ENTRIES("too many entries");

	private final String description;

	TagRejection(String description) {
		this.description = description;
	}

	/**
	 * A short human-readable reason.
	 * @return the reason
	 */
	public String description() {
		return this.description;
	}

}
