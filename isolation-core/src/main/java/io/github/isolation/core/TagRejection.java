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
	TOO_MANY_ENTRIES("too many entries"),

	/**
	 * The value came from an address that may not send tags (at the edge, one outside
	 * {@code isolation.edge.accept-tags-from}).
	 * @since 0.1.0
	 */
	UNTRUSTED_SOURCE("sent from an address not accepted to send tags"),

	/**
	 * The value named a valid group that may not be chosen here (at the edge, one outside
	 * {@code isolation.edge.allowed-groups}).
	 * @since 0.1.0
	 */
	GROUP_NOT_ALLOWED("group not allowed");

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
