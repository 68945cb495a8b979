package io.github.isolation.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class IsolationGroupTest {

	private static final String RULE = "isolation group name must be 1 to 63 characters of [a-z0-9._-]"
			+ " starting with a letter or digit, but was ";

	@ParameterizedTest
	@ValueSource(strings = { "a", "7", "feature-x", "7-eleven", "0day", "a.b_c-d", "x-", "v1.2.3", "team_b",
			"abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0" })
	void shouldAcceptAValidName(String name) {
		// when
		IsolationGroup group = IsolationGroup.of(name);

		// then
		assertThat(group.name()).isEqualTo(name);
		assertThat(group.toString()).isEqualTo(name);
		assertThat(IsolationGroup.check(name)).isNull();
		assertThat(IsolationGroup.parse(name)).contains(group);
	}

	@Test
	void shouldAcceptTheLongestNameAndRejectOneCharacterMore() {
		// given
		String longest = "a".repeat(IsolationGroup.MAX_LENGTH);
		String tooLong = longest + "a";

		// then
		assertThat(longest).hasSize(63);
		assertThat(IsolationGroup.of(longest).name()).isEqualTo(longest);
		assertThat(IsolationGroup.check(tooLong)).isEqualTo(TagRejection.TOO_LONG);
		assertThat(IsolationGroup.parse(tooLong)).isEmpty();
	}

	static Stream<Arguments> invalidNames() {
		return Stream.of(
				arguments("", TagRejection.EMPTY),
				arguments("   ", TagRejection.EMPTY),
				arguments("\t\n", TagRejection.EMPTY),
				arguments("a".repeat(64), TagRejection.TOO_LONG),
				arguments("Feature-x", TagRejection.INVALID_CHARACTERS),
				arguments("feature-X", TagRejection.INVALID_CHARACTERS),
				arguments("-feature", TagRejection.INVALID_CHARACTERS),
				arguments(".feature", TagRejection.INVALID_CHARACTERS),
				arguments("_feature", TagRejection.INVALID_CHARACTERS),
				arguments("feature x", TagRejection.INVALID_CHARACTERS),
				arguments("feature/x", TagRejection.INVALID_CHARACTERS),
				arguments("feature,x", TagRejection.INVALID_CHARACTERS),
				arguments("caf\u00e9", TagRejection.INVALID_CHARACTERS),
				arguments("\u0430bc", TagRejection.INVALID_CHARACTERS), // Cyrillic a
				arguments("feature\uD83D\uDE00", TagRejection.INVALID_CHARACTERS),
				arguments("feature\nx", TagRejection.INVALID_CHARACTERS),
				arguments("feature\u0000", TagRejection.INVALID_CHARACTERS),
				arguments("feature\u001b[31m", TagRejection.INVALID_CHARACTERS),
				arguments("feature\u007f", TagRejection.INVALID_CHARACTERS));
	}

	@ParameterizedTest(name = "[{index}] {1}")
	@MethodSource("invalidNames")
	void shouldGiveTheReasonAnInvalidNameIsRejected(String name, TagRejection reason) {
		assertThat(IsolationGroup.check(name)).isEqualTo(reason);
	}

	@ParameterizedTest(name = "[{index}] {1}")
	@MethodSource("invalidNames")
	void shouldRejectAnInvalidTrustedNameSayingTheRuleAndTheEscapedValue(String name, TagRejection reason) {
		assertThatIllegalArgumentException().isThrownBy(() -> IsolationGroup.of(name))
			.withMessage(RULE + LogSafe.quote(name) + " (" + reason.description() + ")")
			.withMessageMatching("[\\x20-\\x7e]*");
	}

	@ParameterizedTest(name = "[{index}] {1}")
	@MethodSource("invalidNames")
	void shouldParseAnInvalidUntrustedNameAsNoTag(String name, TagRejection reason) {
		assertThat(IsolationGroup.parse(name)).isEmpty();
	}

	@Test
	void shouldTreatNullAsAnEmptyName() {
		assertThat(IsolationGroup.check(null)).isEqualTo(TagRejection.EMPTY);
		assertThat(IsolationGroup.parse(null)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> IsolationGroup.of(null))
			.withMessage(RULE + "null (empty)");
	}

	@ParameterizedTest
	@ValueSource(strings = { " feature-x", "feature-x ", "\tfeature-x \t" })
	void shouldIgnoreSurroundingSpacesAndTabsWhenParsing(String raw) {
		assertThat(IsolationGroup.parse(raw)).contains(IsolationGroup.of("feature-x"));
	}

	// Only HTTP's optional whitespace is ignored: a line break or a Unicode space (which a
	// percent-decoded W3C entry can hold) makes the value one that other readers reject too.
	@ParameterizedTest
	@ValueSource(strings = { "feature-x\r\n", "\nfeature-x", "\u2003feature-x\u2003", "feature-x\u2028", "\u00a0feature-x" })
	void shouldRejectOtherSurroundingWhitespace(String raw) {
		List<TagRejection> rejections = new ArrayList<>();

		assertThat(IsolationGroup.parse(raw, rejections::add)).isEmpty();
		assertThat(rejections).containsExactly(TagRejection.INVALID_CHARACTERS);
	}

	@Test
	void shouldNotTrimWhitespaceOfATrustedName() {
		assertThatIllegalArgumentException().isThrownBy(() -> IsolationGroup.of(" feature-x"));
	}

	@Test
	void shouldParseAValueFarTooLongAsNoTagEvenIfItIsMostlyWhitespace() {
		assertThat(IsolationGroup.parse(" ".repeat(10_000) + "feature-x")).isEmpty();
	}

	@Test
	void shouldGiveTheStableConstantForTheStableName() {
		// when
		IsolationGroup fromConfiguration = IsolationGroup.of("stable");
		Optional<IsolationGroup> fromNetwork = IsolationGroup.parse(" stable ");

		// then
		assertThat(fromConfiguration).isSameAs(IsolationGroup.STABLE);
		assertThat(fromNetwork).containsSame(IsolationGroup.STABLE);
		assertThat(IsolationGroup.STABLE.name()).isEqualTo(IsolationGroup.STABLE_NAME).isEqualTo("stable");
		assertThat(IsolationGroup.STABLE.isStable()).isTrue();
		assertThat(new IsolationGroup("stable")).isEqualTo(IsolationGroup.STABLE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "stable2", "stable-x", "unstable", "stabl" })
	void shouldNotTreatANameMerelyLikeStableAsStable(String name) {
		assertThat(IsolationGroup.of(name).isStable()).isFalse();
	}

}
