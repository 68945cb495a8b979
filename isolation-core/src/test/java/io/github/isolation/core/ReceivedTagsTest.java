package io.github.isolation.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReceivedTags}.
 */
class ReceivedTagsTest {

	private final List<String> rejections = new ArrayList<>();

	@Test
	void shouldPreferTheSingleHeaders() {
		ReceivedTags tags = read("feature-x", "b", "isolation-group=feature-y,isolation-fail-fast=c");

		assertThat(tags).isEqualTo(new ReceivedTags(IsolationGroup.of("feature-x"), FailFastServices.of(List.of("b"))));
		assertThat(this.rejections).isEmpty();
	}

	@Test
	void shouldFallBackToTheW3cEntryOfAMalformedSingleHeaderAndCountTheDrop() {
		ReceivedTags tags = read("feature-x;p", "c;p", "isolation-group=feature-y;p,isolation-fail-fast=b%2Cc");

		assertThat(tags.groupValue()).isEqualTo("feature-y");
		assertThat(tags.failFast()).isEqualTo(FailFastServices.of(List.of("b", "c")));
		assertThat(this.rejections).containsExactly("isolation-group: INVALID_CHARACTERS",
				"isolation-fail-fast: INVALID_CHARACTERS");
	}

	@Test
	void shouldAcceptNothingWhenEveryFormIsMalformed() {
		ReceivedTags tags = read("Feature-X", null, "isolation-group=feature%2");

		assertThat(tags).isSameAs(ReceivedTags.NONE);
		assertThat(tags.groupValue()).isNull();
		assertThat(tags.failFastValue()).isNull();
		assertThat(this.rejections).containsExactly("isolation-group: INVALID_CHARACTERS",
				"isolation-group: INVALID_CHARACTERS");
	}

	@Test
	void shouldKeepAnExplicitStableGroup() {
		assertThat(read("stable", null, null).group()).isEqualTo(IsolationGroup.STABLE);
	}

	@Test
	void shouldNotAskForTheBaggageWhenTheSingleHeadersAnswer() {
		ReceivedTags tags = ReceivedTags.read("feature-x", "b", () -> {
			throw new AssertionError("baggage read");
		}, (field, reason) -> this.rejections.add(field));

		assertThat(tags.groupValue()).isEqualTo("feature-x");
	}

	private ReceivedTags read(String group, String failFast, String baggage) {
		return ReceivedTags.read(group, failFast, () -> (baggage != null) ? List.of(baggage) : List.of(),
				(field, reason) -> this.rejections.add(field + ": " + reason));
	}

}
