package io.github.isolation.core.rules;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression that a rule may hold, bounded so that no pattern and no request can make
 * the edge spend more than a small, fixed amount of work on it.
 *
 * <p>Bounded on write, by what the pattern may contain: at most {@value #MAX_PATTERN_LENGTH}
 * characters; no backreferences ({@code \1}, {@code \k<name>}) and no lookaround
 * ({@code (?=}, {@code (?!}, {@code (?<=}, {@code (?<!}); no nested quantifiers, that is no
 * quantified group that holds a quantifier or an alternation ({@code (a+)+}, {@code (a|aa)*}),
 * the shapes that make a backtracking matcher take exponential time.
 *
 * <p>Bounded on read, by what a match may cost: a value longer than {@value #MAX_INPUT_LENGTH}
 * characters never matches, and each match may read at most {@value #MAX_STEPS} characters of
 * the value; a match that would read more is stopped and does not match. So even a pattern with
 * polynomial backtracking ({@code .*.*.*x}) costs a bounded number of steps per request.
 *
 * <p>The whole value must match ({@link Matcher#matches()}), not a part of it.
 *
 * @since 0.1.0
 */
public final class BoundedRegex {

	/** The longest pattern a rule may hold. */
	public static final int MAX_PATTERN_LENGTH = 256;

	/** The longest value a pattern is matched against; longer values never match. */
	public static final int MAX_INPUT_LENGTH = 1024;

	/** How many characters of the value one match may read before it is stopped. */
	public static final int MAX_STEPS = 100_000;

	// Thrown to stop a match; shared and without a stack trace, so stopping costs nothing.
	private static final RuntimeException OVER_BUDGET = new RuntimeException("regex step budget exceeded", null,
			false, false) {
		private static final long serialVersionUID = 1L;
	};

	private BoundedRegex() {
	}

	/**
	 * Compiles a pattern that a rule may hold.
	 * @param field the field the pattern is in, for the error
	 * @param regex the pattern
	 * @return the compiled pattern
	 * @throws RuleValidationException if the pattern is too long, holds a construct that is not
	 * allowed, or is not a valid regular expression
	 */
	public static Pattern compile(String field, String regex) {
		if (regex.isEmpty() || regex.length() > MAX_PATTERN_LENGTH) {
			throw new RuleValidationException(field, "must be a regular expression of 1 to " + MAX_PATTERN_LENGTH
					+ " characters, but was " + regex.length() + " characters long");
		}
		String unsafe = unsafeConstruct(regex);
		if (unsafe != null) {
			throw new RuleValidationException(field, "must not hold " + unsafe
					+ " (regular expressions are bounded: see BoundedRegex), but was " + Rules.quote(regex));
		}
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new RuleValidationException(field, "must be a valid regular expression (" + ex.getDescription()
					+ " near index " + ex.getIndex() + "), but was " + Rules.quote(regex));
		}
	}

	/**
	 * Whether the whole value matches, within the bounds.
	 * @param pattern a pattern from {@link #compile(String, String)}
	 * @param value the value
	 * @return {@code true} if it matches within {@link #MAX_STEPS}; {@code false} if not, if the
	 * value is longer than {@link #MAX_INPUT_LENGTH}, or if the match was stopped
	 */
	public static boolean matches(Pattern pattern, String value) {
		if (value.length() > MAX_INPUT_LENGTH) {
			return false;
		}
		try {
			return pattern.matcher(new BudgetedChars(value, MAX_STEPS)).matches();
		}
		catch (RuntimeException ex) {
			if (ex == OVER_BUDGET) {
				return false;
			}
			throw ex;
		}
	}

	// The first construct that is not allowed, described, or null.
	static String unsafeConstruct(String regex) {
		// One entry per open group: whether it holds a quantifier or an alternation.
		boolean[] holdsRepetition = new boolean[regex.length() + 1];
		int depth = 0;
		boolean inClass = false;
		for (int i = 0; i < regex.length(); i++) {
			char c = regex.charAt(i);
			if (c == '\\') {
				if (i + 1 < regex.length()) {
					char next = regex.charAt(i + 1);
					if (!inClass && ((next >= '1' && next <= '9') || next == 'k')) {
						return "a backreference";
					}
				}
				i++;
				continue;
			}
			if (inClass) {
				if (c == ']') {
					inClass = false;
				}
				continue;
			}
			switch (c) {
				case '[' -> {
					inClass = true;
					// A ']' right after '[' or '[^' is a literal.
					if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
						i++;
					}
					if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
						i++;
					}
				}
				case '(' -> {
					if (regex.startsWith("(?=", i) || regex.startsWith("(?!", i) || regex.startsWith("(?<=", i)
							|| regex.startsWith("(?<!", i)) {
						return "a lookaround";
					}
					depth++;
					holdsRepetition[depth] = false;
					if (i + 1 < regex.length() && regex.charAt(i + 1) == '?') {
						// A group's flags or name, not a quantifier.
						i++;
					}
				}
				case ')' -> {
					if (depth == 0) {
						// Unbalanced: Pattern.compile says so.
						continue;
					}
					boolean inner = holdsRepetition[depth];
					depth--;
					if (isQuantifier(regex, i + 1)) {
						if (inner) {
							return "a nested quantifier";
						}
						holdsRepetition[depth] = true;
					}
					else if (inner) {
						holdsRepetition[depth] = true;
					}
				}
				case '|' -> holdsRepetition[depth] = true;
				case '*', '+', '?', '{' -> {
					if (c != '{' || isQuantifier(regex, i)) {
						holdsRepetition[depth] = true;
					}
				}
				default -> {
				}
			}
		}
		return null;
	}

	private static boolean isQuantifier(String regex, int at) {
		if (at >= regex.length()) {
			return false;
		}
		char c = regex.charAt(at);
		if (c == '*' || c == '+' || c == '?') {
			return true;
		}
		if (c != '{') {
			return false;
		}
		// {n}, {n,} or {n,m}: {n} and {0,1}-like bounds still repeat, so treat every form alike.
		int i = at + 1;
		boolean digits = false;
		while (i < regex.length() && (Character.isDigit(regex.charAt(i)) || regex.charAt(i) == ',')) {
			digits = true;
			i++;
		}
		return digits && i < regex.length() && regex.charAt(i) == '}';
	}

	// The value, read through a counter that stops the match when it runs out.
	private static final class BudgetedChars implements CharSequence {

		private final String value;

		private int budget;

		BudgetedChars(String value, int budget) {
			this.value = value;
			this.budget = budget;
		}

		@Override
		public char charAt(int index) {
			if (--this.budget < 0) {
				throw OVER_BUDGET;
			}
			return this.value.charAt(index);
		}

		@Override
		public int length() {
			return this.value.length();
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return this.value.subSequence(start, end);
		}

		@Override
		public String toString() {
			return this.value;
		}

	}

}
