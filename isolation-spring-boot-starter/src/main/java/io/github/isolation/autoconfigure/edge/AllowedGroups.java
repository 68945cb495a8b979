package io.github.isolation.autoconfigure.edge;

import java.util.Collection;
import java.util.List;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.LogSafe;

/**
 * The groups a request may be coloured with at the edge: names ({@code feature-x}) and simple
 * patterns where {@code *} stands for any run of characters ({@code feature-*}). Empty allows
 * every valid group.
 *
 * @since 0.1.0
 */
public final class AllowedGroups {

	/** Every valid group is allowed. */
	public static final AllowedGroups ANY = new AllowedGroups(List.of());

	private final List<String> patterns;

	private AllowedGroups(List<String> patterns) {
		this.patterns = List.copyOf(patterns);
	}

	/**
	 * The groups allowed by names and patterns from configuration.
	 * @param patterns names and patterns; empty for any group
	 * @return the allowed groups
	 * @throws IllegalArgumentException if one is neither a group name nor a pattern of one
	 */
	public static AllowedGroups of(Collection<String> patterns) {
		for (String pattern : patterns) {
			// A pattern is a name where '*' stands for a run of name characters.
			String example = (pattern != null) ? pattern.replace("*", "a") : null;
			if (example == null || pattern.length() > IsolationGroup.MAX_LENGTH || IsolationGroup.check(example) != null) {
				throw new IllegalArgumentException("allowed group must be a group name such as feature-x or a pattern "
						+ "such as feature-*, but was " + LogSafe.quote(pattern));
			}
		}
		return patterns.isEmpty() ? ANY : new AllowedGroups(List.copyOf(patterns));
	}

	/**
	 * Whether a group is allowed.
	 * @param group the group
	 * @return {@code true} if no pattern is configured or one matches the group's name
	 */
	public boolean allows(IsolationGroup group) {
		if (this.patterns.isEmpty()) {
			return true;
		}
		for (String pattern : this.patterns) {
			if (matches(pattern, 0, group.name(), 0)) {
				return true;
			}
		}
		return false;
	}

	// Names are at most 63 characters and patterns are from configuration, so backtracking is cheap.
	private static boolean matches(String pattern, int p, String name, int n) {
		if (p == pattern.length()) {
			return n == name.length();
		}
		char c = pattern.charAt(p);
		if (c == '*') {
			for (int i = n; i <= name.length(); i++) {
				if (matches(pattern, p + 1, name, i)) {
					return true;
				}
			}
			return false;
		}
		return n < name.length() && name.charAt(n) == c && matches(pattern, p + 1, name, n + 1);
	}

	@Override
	public String toString() {
		return this.patterns.isEmpty() ? "[any]" : this.patterns.toString();
	}

}
