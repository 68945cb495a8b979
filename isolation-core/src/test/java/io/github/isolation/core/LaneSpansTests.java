package io.github.isolation.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LaneSpansTests {

	@Test
	void shouldHoldTheRecordsFromItsOpeningOnWhileOpen() {
		LaneSpans spans = LaneSpans.openedAt(10);

		assertThat(spans.contains(9)).isFalse();
		assertThat(spans.contains(10)).isTrue();
		assertThat(spans.contains(Long.MAX_VALUE)).isTrue();
		assertThat(spans.isOpen()).isTrue();
		assertThat(spans.lastOpening()).isEqualTo(10);
		assertThat(spans.lastClosing()).isEqualTo(-1);
	}

	@Test
	void shouldHoldOnlyTheStretchesBetweenOpeningsAndClosings() {
		LaneSpans spans = LaneSpans.openedAt(10).closedAt(20).reopenedAt(30);

		assertThat(spans).hasToString("10 20 30").isEqualTo(LaneSpans.parse(" 10  20 30 "));
		assertThat(spans.contains(19)).isTrue();
		assertThat(spans.contains(20)).isFalse();
		assertThat(spans.contains(29)).isFalse();
		assertThat(spans.contains(30)).isTrue();
		assertThat(spans.isOpen()).isTrue();
		assertThat(spans.lastOpening()).isEqualTo(30);
		assertThat(spans.lastClosing()).isEqualTo(20);
		assertThat(LaneSpans.parse("10 20").isOpen()).isFalse();
		assertThat(LaneSpans.parse("10 20").lastOpening()).isEqualTo(10);
	}

	@Test
	void shouldNeverMoveABoundaryBelowTheOneBeforeIt() {
		assertThat(LaneSpans.openedAt(10).closedAt(4)).hasToString("10 10");
		assertThat(LaneSpans.openedAt(10).closedAt(4).contains(10)).isFalse();
		assertThat(LaneSpans.parse("10 20").reopenedAt(15)).hasToString("10 20 20");
	}

	@Test
	void shouldResumeALaneConsumerInsideTheLane() {
		LaneSpans spans = LaneSpans.parse("10 20 30");

		assertThat(spans.resumeAt(null)).as("nothing committed").isEqualTo(30);
		assertThat(spans.resumeAt(15L)).as("inside the lane: where it stopped").isEqualTo(15);
		assertThat(spans.resumeAt(20L)).as("where stable's stretch begins: past it").isEqualTo(30);
		assertThat(spans.resumeAt(4L)).as("below the first opening").isEqualTo(10);
		assertThat(spans.resumeAt(35L)).isEqualTo(35);
		assertThat(LaneSpans.parse("10 20").resumeAt(25L)).as("closed, past its end").isEqualTo(25);
	}

	@Test
	void shouldRefuseToCloseAClosedLaneOrOpenAnOpenOne() {
		assertThatIllegalStateException().isThrownBy(() -> LaneSpans.parse("10 20").closedAt(30));
		assertThatIllegalStateException().isThrownBy(() -> LaneSpans.openedAt(10).reopenedAt(30));
	}

	@Test
	void shouldRefuseTextThatIsNotAListOfRisingOffsets() {
		assertThatIllegalArgumentException().isThrownBy(() -> LaneSpans.parse("")).withMessageContaining("at least");
		assertThatIllegalArgumentException().isThrownBy(() -> LaneSpans.parse("10 x")).withMessageContaining("'10 x'");
		assertThatIllegalArgumentException().isThrownBy(() -> LaneSpans.parse("20 10")).withMessageContaining("decrease");
		assertThatIllegalArgumentException().isThrownBy(() -> LaneSpans.parse("-1")).withMessageContaining("negative");
	}

}
