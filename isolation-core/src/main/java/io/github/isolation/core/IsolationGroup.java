package io.github.isolation.core;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The name of an isolation group: 1 to 63 characters of {@code [a-z0-9._-]}, starting with a
 * letter or a digit. {@link #STABLE} is the production-like baseline that every request falls
 * back to.
 *
 * <p>Names from configuration go through {@link #of(String)}, which fails with a message that
 * says what is wrong. Names from the network go through {@link #parse(CharSequence)}, which
 * never throws: anything that is not a valid name is treated as no tag at all.
 *
 * @param name the validated name
 * @since 0.1.0
 */
public record IsolationGroup(String name) {

	/** The name of the baseline group. */
	public static final String STABLE_NAME = "stable";

	/** The baseline group: what untagged traffic reaches and what tagged traffic falls back to. */
	public static final IsolationGroup STABLE = new IsolationGroup(STABLE_NAME);

	/** The longest valid name, so that a name fits a DNS label and a header stays small. */
	public static final int MAX_LENGTH = 63;

	public IsolationGroup {
		TagRejection rejection = check(name);
		if (rejection != null) {
			throw new IllegalArgumentException("isolation group name must be 1 to " + MAX_LENGTH
					+ " characters of [a-z0-9._-] starting with a letter or digit, but was "
					+ LogSafe.quote(name) + " (" + rejection.description() + ")");
		}
	}

	/**
	 * The group of a trusted name, such as one from configuration.
	 * @param name the name
	 * @return the group
	 * @throws IllegalArgumentException if the name is not valid, saying why
	 */
	public static IsolationGroup of(String name) {
		return STABLE_NAME.equals(name) ? STABLE : new IsolationGroup(name);
	}

	/**
	 * The group named by an untrusted value, such as a header. Surrounding spaces and tabs are ignored;
	 * anything else that is not a valid name gives an empty result, never an exception.
	 * @param raw the value as received, may be {@code null}
	 * @return the group, or empty if the value is absent or not a valid name
	 */
	public static Optional<IsolationGroup> parse(CharSequence raw) {
		return parse(raw, (rejection) -> {
		});
	}

	/**
	 * The group named by an untrusted value, such as a header, telling why a present value was
	 * not accepted. Surrounding spaces and tabs are ignored; never throws.
	 * @param raw the value as received, may be {@code null}
	 * @param onRejected told once if the value is present but not a valid name
	 * @return the group, or empty if the value is absent or not a valid name
	 */
	public static Optional<IsolationGroup> parse(CharSequence raw, Consumer<TagRejection> onRejected) {
		if (raw == null) {
			return Optional.empty();
		}
		// Bound the work on hostile input: even with surrounding whitespace a valid value is short.
		if (raw.length() > 2 * MAX_LENGTH) {
			onRejected.accept(TagRejection.TOO_LONG);
			return Optional.empty();
		}
		String name = IsolationTags.trimOws(raw.toString());
		TagRejection rejection = check(name);
		if (rejection != null) {
			onRejected.accept(rejection);
			return Optional.empty();
		}
		return Optional.of(of(name));
	}

	/**
	 * Why a value is not a valid group name.
	 * @param raw the value, may be {@code null}
	 * @return the reason, or {@code null} if the value is a valid name
	 */
	public static TagRejection check(CharSequence raw) {
		if (raw == null || raw.length() == 0) {
			return TagRejection.EMPTY;
		}
		if (raw.length() > MAX_LENGTH) {
			return TagRejection.TOO_LONG;
		}
		if (!isLetterOrDigit(raw.charAt(0))) {
			// Only a failing value pays for telling blank from invalid: this runs on every request.
			return isBlank(raw) ? TagRejection.EMPTY : TagRejection.INVALID_CHARACTERS;
		}
		for (int i = 1; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
				return TagRejection.INVALID_CHARACTERS;
			}
		}
		return null;
	}

	/**
	 * Whether this is the baseline group.
	 * @return {@code true} for {@link #STABLE}
	 */
	public boolean isStable() {
		return STABLE_NAME.equals(this.name);
	}

	// Written out rather than generated: routing compares groups once per instance, and the
	// generated methods were a measurable part of that.
	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof IsolationGroup group && this.name.equals(group.name));
	}

	@Override
	public int hashCode() {
		return this.name.hashCode();
	}

	@Override
	public String toString() {
		return this.name;
	}

	private static boolean isBlank(CharSequence raw) {
		for (int i = 0; i < raw.length(); i++) {
			if (!Character.isWhitespace(raw.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isLetterOrDigit(char c) {
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
	}

}
