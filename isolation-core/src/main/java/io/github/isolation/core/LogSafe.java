package io.github.isolation.core;

/**
 * Renders untrusted values so that they can go into a log line or an error message: quoted,
 * cut to a bounded length, and with control and non-ASCII characters escaped, so that a
 * hostile header can neither forge log lines nor grow them without bound.
 *
 * @since 0.1.0
 */
public final class LogSafe {

	/** How many characters of an untrusted value are shown. */
	public static final int MAX_SHOWN = 80;

	private LogSafe() {
	}

	/**
	 * The value in single quotes, escaped and cut to {@link #MAX_SHOWN} characters.
	 * @param value the value, may be {@code null}
	 * @return a printable rendering
	 */
	public static String quote(CharSequence value) {
		if (value == null) {
			return "null";
		}
		int shown = Math.min(value.length(), MAX_SHOWN);
		StringBuilder out = new StringBuilder(shown + 16).append('\'');
		for (int i = 0; i < shown; i++) {
			char c = value.charAt(i);
			if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
				out.append(c);
			}
			else {
				out.append(String.format("\\u%04x", (int) c));
			}
		}
		out.append('\'');
		if (value.length() > shown) {
			out.append("... (").append(value.length()).append(" chars)");
		}
		return out.toString();
	}

}
