package io.github.isolation.core.rules;

import io.github.isolation.core.LogSafe;

// Helpers shared by the rule model's validation.
final class Rules {

	private Rules() {
	}

	static String wireNames(Enum<?>[] values) {
		StringBuilder names = new StringBuilder();
		for (Enum<?> value : values) {
			if (names.length() > 0) {
				names.append(", ");
			}
			names.append(value);
		}
		return names.toString();
	}

	static String quote(Object value) {
		return (value instanceof CharSequence text) ? LogSafe.quote(text) : String.valueOf(value);
	}

}
