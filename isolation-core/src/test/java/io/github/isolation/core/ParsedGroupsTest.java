package io.github.isolation.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ParsedGroupsTest {

	@Test
	void shouldGiveOneObjectForEveryValueThatNamesTheSameGroup() {
		// given
		ParsedGroups parsed = new ParsedGroups(16);

		// when
		IsolationGroup first = parsed.parse(new String("feature-x"), (rejection) -> {
		});
		IsolationGroup again = parsed.parse(new String("feature-x"), (rejection) -> {
		});
		IsolationGroup padded = parsed.parse(" feature-x\t", (rejection) -> {
		});
		IsolationGroup paddedAgain = parsed.parse(" feature-x\t", (rejection) -> {
		});

		// then
		assertThat(first).isEqualTo(IsolationGroup.of("feature-x"));
		assertThat(again).isSameAs(first);
		assertThat(padded).isSameAs(first);
		assertThat(paddedAgain).isSameAs(first);
		assertThat(parsed.parse("stable", (rejection) -> {
		})).isSameAs(IsolationGroup.STABLE);
	}

	@Test
	void shouldRejectAMalformedValueEveryTimeWithoutRememberingIt() {
		// given
		ParsedGroups parsed = new ParsedGroups(16);
		List<TagRejection> rejections = new ArrayList<>();

		// when
		IsolationGroup first = parsed.parse("Feature X", rejections::add);
		IsolationGroup second = parsed.parse("Feature X", rejections::add);
		IsolationGroup tooLong = parsed.parse("a".repeat(IsolationGroup.MAX_LENGTH + 1), rejections::add);
		IsolationGroup blank = parsed.parse("   ", rejections::add);

		// then
		assertThat(first).isNull();
		assertThat(second).isNull();
		assertThat(tooLong).isNull();
		assertThat(blank).isNull();
		assertThat(rejections).containsExactly(TagRejection.INVALID_CHARACTERS, TagRejection.INVALID_CHARACTERS,
				TagRejection.TOO_LONG, TagRejection.EMPTY);
		assertThat(parsed.size()).isZero();
		assertThat(parsed.parse(null, rejections::add)).isNull();
		assertThat(rejections).hasSize(4);
	}

	@Test
	void shouldRememberNoMoreThanItsBoundAndStillParseWhatComesAfter() {
		// given
		ParsedGroups parsed = new ParsedGroups(8);

		// when
		List<IsolationGroup> groups = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			groups.add(parsed.parse("g" + i, (rejection) -> {
			}));
		}

		// then
		assertThat(parsed.size()).isEqualTo(8);
		for (int i = 0; i < 100; i++) {
			assertThat(groups.get(i)).isEqualTo(IsolationGroup.of("g" + i));
		}
		assertThat(parsed.parse("g0", (rejection) -> {
		})).isSameAs(groups.get(0));
		assertThat(parsed.parse("g99", (rejection) -> {
		})).isEqualTo(IsolationGroup.of("g99"));
		assertThat(parsed.size()).isEqualTo(8);
	}

	@Test
	void shouldRefuseABoundBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ParsedGroups(0))
			.withMessage("maxSize must be at least 1, but was 0");
	}

}
