package io.github.isolation.autoconfigure.edge;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads one parameter out of a raw query string, the same way on every web stack, so that the
 * servlet edge, the WebFlux edge and the gateway give a rule the same value. A servlet
 * container's own {@code getParameter} would read a form body too, and consume it.
 */
final class QueryParameters {

	// Bounds the work on a hostile query: real queries are far shorter.
	static final int MAX_QUERY_LENGTH = 8192;

	private QueryParameters() {
	}

	/**
	 * The first value of a parameter, decoded as UTF-8 with {@code +} as space.
	 * @param rawQuery the query without {@code ?}, may be {@code null}
	 * @param name the parameter's name, compared after decoding
	 * @return the value ({@code ""} for {@code ?name} or {@code ?name=}), or {@code null} if the
	 * parameter is absent, the query is longer than {@value #MAX_QUERY_LENGTH} characters, or
	 * the value is not well-formed percent-encoding
	 */
	static String first(String rawQuery, String name) {
		if (rawQuery == null || rawQuery.isEmpty() || rawQuery.length() > MAX_QUERY_LENGTH) {
			return null;
		}
		int start = 0;
		while (start <= rawQuery.length()) {
			int end = rawQuery.indexOf('&', start);
			if (end < 0) {
				end = rawQuery.length();
			}
			int eq = rawQuery.indexOf('=', start);
			int nameEnd = (eq >= 0 && eq < end) ? eq : end;
			if (nameEnd > start) {
				String key = decode(rawQuery.substring(start, nameEnd));
				if (name.equals(key)) {
					return (nameEnd == end) ? "" : decode(rawQuery.substring(nameEnd + 1, end));
				}
			}
			start = end + 1;
		}
		return null;
	}

	private static String decode(String raw) {
		try {
			return URLDecoder.decode(raw, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
