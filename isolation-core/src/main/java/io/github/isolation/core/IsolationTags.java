package io.github.isolation.core;

/**
 * The names under which the isolation tag travels: baggage fields, the headers they become on
 * the wire, and the discovery metadata key of an instance's group.
 *
 * @since 0.1.0
 */
public final class IsolationTags {

	/** Baggage field and header carrying the request's group. */
	public static final String GROUP = "isolation-group";

	/** Baggage field and header carrying the comma-separated services that must not fall back. */
	public static final String FAIL_FAST = "isolation-fail-fast";

	/** Discovery metadata entry naming an instance's group. */
	public static final String METADATA_GROUP = "isolation-group";

	private IsolationTags() {
	}

}
