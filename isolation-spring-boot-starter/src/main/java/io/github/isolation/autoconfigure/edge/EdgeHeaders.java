package io.github.isolation.autoconfigure.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.W3cBaggage;

/**
 * The headers through which a tag can reach tracing, and how the edge rewrites them: the
 * {@value IsolationTags#GROUP} and {@value IsolationTags#FAIL_FAST} headers are removed, the
 * entries of those keys are removed from the W3C {@code baggage} header (its other entries are
 * kept), and only what the edge decided is presented again.
 *
 * @since 0.1.0
 */
public final class EdgeHeaders {

	private EdgeHeaders() {
	}

	/**
	 * Whether a header carries isolation tags that the edge must hide from the application.
	 * @param name the header's name, in any case
	 * @return {@code true} for {@value IsolationTags#GROUP} and {@value IsolationTags#FAIL_FAST}
	 */
	public static boolean isTagHeader(String name) {
		return IsolationTags.GROUP.equalsIgnoreCase(name) || IsolationTags.FAIL_FAST.equalsIgnoreCase(name);
	}

	/**
	 * Whether a header is the W3C {@code baggage} header.
	 * @param name the header's name, in any case
	 * @return {@code true} if it is
	 */
	public static boolean isBaggageHeader(String name) {
		return W3cBaggage.HEADER.equalsIgnoreCase(name);
	}

	/**
	 * The values of the W3C {@code baggage} header without their isolation entries.
	 * @param values the values as received
	 * @return the values to present, without those left empty
	 */
	public static List<String> withoutTags(List<String> values) {
		List<String> kept = new ArrayList<>(values.size());
		for (String value : values) {
			String rest = withoutTags(value);
			if (rest != null) {
				kept.add(rest);
			}
		}
		return kept;
	}

	/**
	 * One value of the W3C {@code baggage} header without its isolation entries. Every entry
	 * whose key is an isolation field, in any case and whatever its form, is removed, so that no
	 * propagator, however lenient, can read one. A value that had one is rebuilt from the other
	 * entries without the whitespace around them, which a client may refuse at the start or end
	 * of a header value.
	 * @param value the value as received, may be {@code null}
	 * @return the value to present, or {@code null} if no entry is left
	 */
	public static String withoutTags(String value) {
		if (value == null) {
			return null;
		}
		StringBuilder kept = new StringBuilder(value.length());
		boolean removed = false;
		for (String entry : value.split(",", -1)) {
			if (isTagEntry(entry)) {
				removed = true;
				continue;
			}
			String trimmed = IsolationTags.trimOws(entry);
			if (trimmed.isEmpty()) {
				continue;
			}
			if (kept.length() > 0) {
				kept.append(',');
			}
			kept.append(trimmed);
		}
		if (!removed) {
			return value.isBlank() ? null : value;
		}
		return (kept.length() > 0) ? kept.toString() : null;
	}

	private static boolean isTagEntry(String entry) {
		int end = entry.length();
		int eq = entry.indexOf('=');
		int semicolon = entry.indexOf(';');
		if (eq >= 0) {
			end = eq;
		}
		if (semicolon >= 0 && semicolon < end) {
			end = semicolon;
		}
		String key = entry.substring(0, end).strip().toLowerCase(Locale.ROOT);
		return key.equals(IsolationTags.GROUP) || key.equals(IsolationTags.FAIL_FAST);
	}

}
