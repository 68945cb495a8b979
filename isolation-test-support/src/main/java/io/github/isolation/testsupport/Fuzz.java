package io.github.isolation.testsupport;

import java.util.Locale;
import java.util.Random;

/**
 * Hostile tag values: printable, control, non-ASCII, long, comma- and semicolon-heavy, and
 * near-valid group names; and the ways a request carries one.
 */
public final class Fuzz {

	private static final String[] NEAR = { "feature-x", "hotfix-1", "stable", "feature-y" };

	private static final String NOISE = ",;=\"' %\\/:.-_*";

	private static final String[] PROPERTIES = { ";p", ";p=1", ";", "; p = \"x\"", ";isolation-group=stable" };

	private static final String[] DELIMITERS = { ",", "%2C", "%2c", ", x", ",,", "\t,", " , " };

	// Percent-encoded line breaks, NUL, Unicode spaces, and broken escapes.
	private static final String[] ENCODED = { "%0D%0A", "%00", "%E2%80%A8", "%C2%A0", "%20", "%ZZ", "%", "%2" };

	// Characters that a lenient reader may fold into a valid one, or that look like one.
	private static final String[] LOOKALIKES = { "\u2010", "\u212a", "\u0131", "\u00a0", "\uff46", "\u00e9", "\u2028" };

	private Fuzz() {
	}

	/**
	 * A random hostile value.
	 * @param random the source of randomness
	 * @return the value, without CR or LF (which would end the header line of the request itself)
	 */
	public static String value(Random random) {
		return switch (random.nextInt(7)) {
			case 0 -> chars(random, 1 + random.nextInt(40), 0x21, 0x7e);
			case 1 -> withControls(random);
			case 2 -> chars(random, 1 + random.nextInt(30), 0xa0, 0x2fff);
			// Long, yet short enough that five copies stay within the server's 8 KB of request headers.
			case 3 -> chars(random, 64 + random.nextInt(1200), 0x21, 0x7e);
			case 4 -> punctuation(random);
			default -> nearValid(random);
		};
	}

	/**
	 * A hostile value made from a valid one by the edits on which the single header and the W3C
	 * {@code baggage} form, or two tracing bridges, may disagree: property separators, list
	 * delimiters, percent-encoding (of line breaks too), whitespace, case, control and non-ASCII
	 * characters, quotes,
	 * a second entry, and oversize values. Many of them still name the valid value to some
	 * lenient reader, which is the point: whatever the first hop makes of it must be all that
	 * the later hops see.
	 * @param random the source of randomness
	 * @param valid the valid value to start from, such as a group name or a fail-fast list
	 * @return the value, without CR or LF (which would end the header line of the request itself)
	 */
	public static String around(Random random, String valid) {
		StringBuilder value = new StringBuilder(valid);
		for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
			int at = random.nextInt(value.length() + 1);
			switch (random.nextInt(11)) {
				case 0 -> value.append(PROPERTIES[random.nextInt(PROPERTIES.length)]);
				case 1 -> value.insert(at, DELIMITERS[random.nextInt(DELIMITERS.length)]);
				case 2 -> {
					if (random.nextBoolean()) {
						percentEncode(random, value);
					}
					else {
						value.insert(at, ENCODED[random.nextInt(ENCODED.length)]);
					}
				}
				case 3 -> value.insert(random.nextBoolean() ? 0 : value.length(), random.nextBoolean() ? ' ' : '\t');
				case 4 -> upperCase(random, value);
				case 5 -> value.insert(at, control(random));
				case 6 -> value.insert(at, LOOKALIKES[random.nextInt(LOOKALIKES.length)]);
				case 7 -> value.insert(0, '"').append('"');
				case 8 -> value.append(",isolation-group=").append(valid);
				case 9 -> value.append("x".repeat(64 + random.nextInt(2100)));
				default -> value.insert(at, '=');
			}
		}
		return value.toString();
	}

	/**
	 * Whether a value, read as leniently as any parser might (case folded, anything outside a
	 * group name's characters taken as a separator), could name a group that has instances; such
	 * a value may legitimately reach them, so the fuzz leaves it out.
	 * @param value the value
	 * @return {@code true} if it could
	 */
	public static boolean couldNameAnInstanceGroup(String value) {
		String folded = value.toLowerCase(Locale.ROOT);
		return folded.contains("feature-x") || folded.contains("hotfix-1") || folded.contains("feature%2dx")
				|| folded.contains("hotfix%2d1");
	}

	/**
	 * The headers of a request that carries a value.
	 * @param random the source of randomness
	 * @param value the value
	 * @return header names and values, alternating
	 */
	public static String[] carry(Random random, String value) {
		return switch (random.nextInt(5)) {
			case 0 -> new String[] { "isolation-group", value };
			case 1 -> new String[] { "baggage", "isolation-group=" + value };
			case 2 -> new String[] { "Cookie", "isolation-group=" + value };
			case 3 -> new String[] { "isolation-fail-fast", value, "baggage", "isolation-fail-fast=" + value };
			default -> new String[] { "isolation-group", value, "baggage", value, "Cookie", value + "; isolation-group="
					+ value, "X-Forwarded-For", value, "Forwarded", "for=" + value };
		};
	}

	/**
	 * Whether a request's header values hold a control character other than a tab, which the
	 * HTTP parser of the server refuses before the application sees the request.
	 * @param headers header names and values, alternating
	 * @return {@code true} if one does
	 */
	public static boolean hasControlCharacter(String[] headers) {
		for (int i = 1; i < headers.length; i += 2) {
			if (headers[i].chars().anyMatch((c) -> (c < 0x20 && c != '\t') || c == 0x7f)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A request's headers, printable.
	 * @param headers header names and values, alternating
	 * @return the rendering
	 */
	public static String describe(String[] headers) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < headers.length; i += 2) {
			out.append(headers[i]).append(": ").append(io.github.isolation.core.LogSafe.quote(headers[i + 1])).append("; ");
		}
		return out.toString();
	}

	private static String chars(Random random, int length, int from, int to) {
		StringBuilder value = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			value.append((char) (from + random.nextInt(to - from + 1)));
		}
		return value.toString();
	}

	private static void percentEncode(Random random, StringBuilder value) {
		if (value.length() == 0) {
			return;
		}
		int at = random.nextInt(value.length());
		String hex = String.format(random.nextBoolean() ? "%%%02X" : "%%%02x", (int) value.charAt(at) & 0xff);
		value.replace(at, at + 1, hex);
	}

	private static void upperCase(Random random, StringBuilder value) {
		if (value.length() > 0) {
			int at = random.nextInt(value.length());
			value.setCharAt(at, Character.toUpperCase(value.charAt(at)));
		}
	}

	private static char control(Random random) {
		int c = random.nextInt(0x21);
		return (c == '\r' || c == '\n') ? '\u000b' : (c == 0x20) ? (char) 0x7f : (char) c;
	}

	// Every control character but CR and LF, between printable ones.
	private static String withControls(Random random) {
		StringBuilder value = new StringBuilder();
		for (int i = 0, n = 1 + random.nextInt(20); i < n; i++) {
			int c = random.nextInt(0x21);
			c = (c == 0x20) ? 0x7f : c;
			value.append((c == '\r' || c == '\n') ? 'x' : (char) c).append(NEAR[random.nextInt(NEAR.length)].charAt(0));
		}
		return value.toString();
	}

	private static String punctuation(Random random) {
		StringBuilder value = new StringBuilder();
		for (int i = 0, n = 1 + random.nextInt(200); i < n; i++) {
			value.append(random.nextInt(3) == 0 ? (char) ('a' + random.nextInt(26)) : NOISE.charAt(random.nextInt(NOISE.length())));
		}
		return value.toString();
	}

	private static String nearValid(Random random) {
		StringBuilder value = new StringBuilder(NEAR[random.nextInt(NEAR.length)]);
		for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
			int at = random.nextInt(value.length() + 1);
			char c = switch (random.nextInt(5)) {
				case 0 -> (char) ('A' + random.nextInt(26));
				case 1 -> NOISE.charAt(random.nextInt(NOISE.length()));
				case 2 -> (char) (0x80 + random.nextInt(0x200));
				case 3 -> (char) ('a' + random.nextInt(26));
				default -> (char) random.nextInt(0x20);
			};
			if (c == '\r' || c == '\n') {
				c = '\t';
			}
			switch (random.nextInt(3)) {
				case 0 -> value.insert(at, c);
				case 1 -> {
					if (at < value.length()) {
						value.setCharAt(at, c);
					}
				}
				default -> {
					if (at < value.length()) {
						value.deleteCharAt(at);
					}
				}
			}
		}
		return value.toString();
	}

}
