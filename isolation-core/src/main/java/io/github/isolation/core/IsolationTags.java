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

	/**
	 * A value without the spaces and horizontal tabs around it: HTTP's optional whitespace, and
	 * nothing more. {@link String#strip()} would also remove Unicode spaces such as U+2028 that a
	 * percent-decoded W3C entry can hold, and so accept a value that another reader rejects.
	 * @param value the value
	 * @return the value trimmed
	 */
	public static String trimOws(String value) {
		int start = 0;
		int end = value.length();
		while (start < end && isOws(value.charAt(start))) {
			start++;
		}
		while (end > start && isOws(value.charAt(end - 1))) {
			end--;
		}
		return value.substring(start, end);
	}

	private static boolean isOws(char c) {
		return c == ' ' || c == '\t';
	}

}
