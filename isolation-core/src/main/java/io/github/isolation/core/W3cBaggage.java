package io.github.isolation.core;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads one entry from W3C {@code baggage} header values ({@code key=value;property,...}),
 * percent-decoding the value as that format requires. Bounded for hostile input: header values
 * longer than {@link #MAX_HEADER_LENGTH} are ignored, and of several entries with one key the
 * first decides; it never throws.
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
		return valueOf(headerValues, key, (rejection) -> {
		});
	}

	/**
	 * The decoded value of the first entry with a key, in the order received.
	 * @param headerValues the values of every {@code baggage} header of a request
	 * @param key the entry's key
	 * @param onRejected told when an entry with that key is dropped: its value cannot be decoded
	 * ({@link TagRejection#INVALID_CHARACTERS}), or it is in a header value longer than
	 * {@link #MAX_HEADER_LENGTH} ({@link TagRejection#TOO_LONG})
	 * @return the value, or {@code null} if there is none or it was dropped
	 */
	public static String valueOf(Collection<String> headerValues, String key, Consumer<TagRejection> onRejected) {
		if (headerValues == null) {
			return null;
		}
		for (String header : headerValues) {
			if (header == null) {
				continue;
			}
			if (header.length() > MAX_HEADER_LENGTH) {
				if (header.contains(key)) {
					onRejected.accept(TagRejection.TOO_LONG);
					return null;
				}
				continue;
			}
			int eq = entryValueStart(header, key);
			if (eq >= 0) {
				String value = decode(IsolationTags.trimOws(header.substring(eq, valueEnd(header, eq))));
				if (value == null) {
					onRejected.accept(TagRejection.INVALID_CHARACTERS);
				}
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
		return (header != null) ? valueOf(List.of(header), key) : null;
	}

	// Where the value of the first entry with the key starts, or -1.
	private static int entryValueStart(String header, String key) {
		int start = 0;
		while (start <= header.length()) {
			int end = header.indexOf(',', start);
			if (end < 0) {
				end = header.length();
			}
			int eq = header.indexOf('=', start);
			if (eq > 0 && eq < valueEnd(header, start) && IsolationTags.trimOws(header.substring(start, eq)).equals(key)) {
				return eq + 1;
			}
			start = end + 1;
		}
		return -1;
	}

	// Where the key or value that starts at from ends: at its properties or at the next entry.
	private static int valueEnd(String header, int from) {
		int end = header.indexOf(',', from);
		end = (end < 0) ? header.length() : end;
		int properties = header.indexOf(';', from);
		return (properties >= 0 && properties < end) ? properties : end;
	}

	// Percent-decodes as UTF-8; null for a broken escape or a raw non-ASCII character, which the
	// format does not allow and which readers would otherwise take in different ways.
	private static String decode(String value) {
		if (value.indexOf('%') < 0) {
			for (int i = 0; i < value.length(); i++) {
				if (value.charAt(i) > 0x7f) {
					return null;
				}
			}
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
