package io.github.isolation.core;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Reads one entry from W3C {@code baggage} header values ({@code key=value;property,...}),
 * percent-decoding the value as that format requires. Bounded for hostile input: header values
 * longer than {@link #MAX_HEADER_LENGTH} are ignored, and malformed entries are skipped; it
 * never throws.
 *
 * @since 0.1.0
 */
public final class W3cBaggage {

	/** The W3C baggage header's name. */
	public static final String HEADER = "baggage";

	/** The longest header value read, as the W3C specification's limit for the whole header. */
	public static final int MAX_HEADER_LENGTH = 8192;

	private W3cBaggage() {
	}

	/**
	 * The decoded value of an entry.
	 * @param headerValues the values of every {@code baggage} header of a request
	 * @param key the entry's key
	 * @return the value, or {@code null} if no well-formed entry has that key
	 */
	public static String valueOf(Collection<String> headerValues, String key) {
		if (headerValues == null) {
			return null;
		}
		for (String header : headerValues) {
			String value = valueOf(header, key);
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	/**
	 * The decoded value of an entry.
	 * @param header one {@code baggage} header value
	 * @param key the entry's key
	 * @return the value, or {@code null} if no well-formed entry has that key
	 */
	public static String valueOf(String header, String key) {
		if (header == null || header.length() > MAX_HEADER_LENGTH) {
			return null;
		}
		int start = 0;
		while (start <= header.length()) {
			int end = header.indexOf(',', start);
			if (end < 0) {
				end = header.length();
			}
			int properties = header.indexOf(';', start);
			int valueEnd = (properties >= 0 && properties < end) ? properties : end;
			int eq = header.indexOf('=', start);
			if (eq > 0 && eq < valueEnd && header.substring(start, eq).strip().equals(key)) {
				return decode(header.substring(eq + 1, valueEnd).strip());
			}
			start = end + 1;
		}
		return null;
	}

	private static String decode(String value) {
		if (value.indexOf('%') < 0) {
			return value;
		}
		byte[] out = new byte[value.length()];
		int length = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '%') {
				int hi = (i + 2 < value.length()) ? Character.digit(value.charAt(i + 1), 16) : -1;
				int lo = (hi >= 0) ? Character.digit(value.charAt(i + 2), 16) : -1;
				if (lo < 0) {
					return null;
				}
				out[length++] = (byte) ((hi << 4) + lo);
				i += 2;
			}
			else if (c > 0x7f) {
				return null;
			}
			else {
				out[length++] = (byte) c;
			}
		}
		return new String(out, 0, length, StandardCharsets.UTF_8);
	}

}
