package io.github.isolation.core.rules;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedRegexTest {

	@Test
	void shouldAcceptOrdinaryPatterns() {
		for (String regex : new String[] { "^5\\.[0-9]+\\.[0-9]+$", "(ios|android)", "[a-z]+-[0-9]{2,4}",
				"(?:beta)?\\d+", "(?i)acme.*", "v(1|2)\\.\\d+", "[(+*]+" }) {
			assertThat(BoundedRegex.compile("values[0]", regex)).as(regex).isNotNull();
		}
	}

	@Test
	void shouldRefuseNestedQuantifiersBackreferencesAndLookaround() {
		assertThat(BoundedRegex.unsafeConstruct("(a+)+")).isEqualTo("a nested quantifier");
		assertThat(BoundedRegex.unsafeConstruct("(a*)*b")).isEqualTo("a nested quantifier");
		assertThat(BoundedRegex.unsafeConstruct("(a|aa)+")).isEqualTo("a nested quantifier");
		assertThat(BoundedRegex.unsafeConstruct("((ab)*c)+")).isEqualTo("a nested quantifier");
		assertThat(BoundedRegex.unsafeConstruct("(x{2,})*")).isEqualTo("a nested quantifier");
		assertThat(BoundedRegex.unsafeConstruct("(a)\\1")).isEqualTo("a backreference");
		assertThat(BoundedRegex.unsafeConstruct("(?<n>a)\\k<n>")).isEqualTo("a backreference");
		assertThat(BoundedRegex.unsafeConstruct("a(?=b)")).isEqualTo("a lookaround");
		assertThat(BoundedRegex.unsafeConstruct("(?<!a)b")).isEqualTo("a lookaround");
		assertThatThrownBy(() -> BoundedRegex.compile("values[0]", "(a+)+$"))
			.isInstanceOf(RuleValidationException.class)
			.hasMessageStartingWith("values[0] must not hold a nested quantifier");
	}

	@Test
	void shouldRefuseTooLongAndInvalidPatterns() {
		assertThatThrownBy(() -> BoundedRegex.compile("values[0]", "a".repeat(257)))
			.hasMessage("values[0] must be a regular expression of 1 to 256 characters, but was 257 characters long");
		assertThatThrownBy(() -> BoundedRegex.compile("values[0]", "[a-"))
			.hasMessageStartingWith("values[0] must be a valid regular expression (");
	}

	@Test
	void shouldMatchTheWholeValue() {
		Pattern pattern = BoundedRegex.compile("v", "5\\.\\d+");
		assertThat(BoundedRegex.matches(pattern, "5.12")).isTrue();
		assertThat(BoundedRegex.matches(pattern, "5.12-beta")).isFalse();
	}

	@Test
	void shouldStopAPolynomialPatternOnAHostileValueAndNotMatch() {
		// Allowed (no nesting) yet cubic when backtracking: the step budget stops it.
		Pattern pattern = BoundedRegex.compile("v", "a*a*a*a*b");
		String hostile = "a".repeat(BoundedRegex.MAX_INPUT_LENGTH);
		long started = System.nanoTime();
		assertThat(BoundedRegex.matches(pattern, hostile)).isFalse();
		// Generous bound on behaviour: unbounded, this match takes hours.
		assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
		assertThat(BoundedRegex.matches(pattern, "aab")).isTrue();
	}

	@Test
	void shouldNotMatchAValueLongerThanTheBound() {
		Pattern pattern = BoundedRegex.compile("v", "a+");
		assertThat(BoundedRegex.matches(pattern, "a".repeat(BoundedRegex.MAX_INPUT_LENGTH))).isTrue();
		assertThat(BoundedRegex.matches(pattern, "a".repeat(BoundedRegex.MAX_INPUT_LENGTH + 1))).isFalse();
	}

}
