package io.github.isolation.core;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LogSafeTest {

	@Test
	void shouldShowNullUnquoted() {
		assertThat(LogSafe.quote(null)).isEqualTo("null");
	}

	@Test
	void shouldQuotePlainAsciiAsIs() {
		assertThat(LogSafe.quote("feature-x Y/1")).isEqualTo("'feature-x Y/1'");
		assertThat(LogSafe.quote("")).isEqualTo("''");
	}

	static Stream<Arguments> unsafeValues() {
		return Stream.of(
				arguments("a\nb", "'a\\u000ab'"),
				arguments("a\r\nb", "'a\\u000d\\u000ab'"),
				arguments("\u001b[31m", "'\\u001b[31m'"),
				arguments("\u007f\u0000", "'\\u007f\\u0000'"),
				arguments("it's", "'it\\u0027s'"),
				arguments("a\\b", "'a\\u005cb'"),
				arguments("caf\u00e9", "'caf\\u00e9'"),
				arguments("\uD83D\uDE00", "'\\ud83d\\ude00'"));
	}

	@ParameterizedTest(name = "[{index}] {1}")
	@MethodSource("unsafeValues")
	void shouldEscapeEverythingThatCouldForgeOrBreakALogLine(String value, String expected) {
		assertThat(LogSafe.quote(value)).isEqualTo(expected);
	}

	@Test
	void shouldCutALongValueAndSayHowLongItWas() {
		// given
		String value = "x".repeat(1000);

		// when
		String shown = LogSafe.quote(value);

		// then
		assertThat(shown).isEqualTo("'" + "x".repeat(LogSafe.MAX_SHOWN) + "'... (1000 chars)");
	}

	@Test
	void shouldNotCutAValueOfExactlyTheShownLength() {
		String value = "y".repeat(LogSafe.MAX_SHOWN);
		assertThat(LogSafe.quote(value)).isEqualTo("'" + value + "'");
	}

}
