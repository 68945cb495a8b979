package io.github.isolation.benchmarks.harness;

import io.github.isolation.benchmarks.harness.Routes.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoutesTests {

	@Test
	void shouldCountAReplyThroughAnotherGroupAsMisroutedOnlyWhenRoutesAreChecked() {
		// when
		Outcome leaked = Routes.judge(false, 200, Routes.TAGGED, true);
		Outcome droppedTag = Routes.judge(true, 200, Routes.UNTAGGED, true);
		Outcome unchecked = Routes.judge(false, 200, Routes.TAGGED, false);

		// then
		assertThat(leaked).isEqualTo(Outcome.MISROUTED);
		assertThat(droppedTag).isEqualTo(Outcome.MISROUTED);
		assertThat(unchecked).isEqualTo(Outcome.OK);
	}

	@Test
	void shouldCountTheRoutesTheRulePrescribesAsOkAndAnythingButA200AsFailed() {
		// when
		Outcome untagged = Routes.judge(false, 200, Routes.UNTAGGED, true);
		Outcome tagged = Routes.judge(true, 200, Routes.TAGGED, true);
		Outcome badGateway = Routes.judge(true, 502, "a@stable failed: ...", true);
		Outcome noReply = Routes.judge(false, -1, null, false);

		// then
		assertThat(untagged).isEqualTo(Outcome.OK);
		assertThat(tagged).isEqualTo(Outcome.OK);
		assertThat(badGateway).isEqualTo(Outcome.FAILED);
		assertThat(noReply).isEqualTo(Outcome.FAILED);
	}

}
