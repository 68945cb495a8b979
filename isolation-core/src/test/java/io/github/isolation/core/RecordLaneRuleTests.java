package io.github.isolation.core;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.isolation.core.RecordLaneRule.Outcome;
import io.github.isolation.core.RecordLaneRule.Role;

import static org.assertj.core.api.Assertions.assertThat;

class RecordLaneRuleTests {

	private static final String SERVICE = "notifications";

	private static final IsolationGroup X = IsolationGroup.of("feature-x");

	private static final IsolationGroup Y = IsolationGroup.of("feature-y");

	private static final FailFastServices NONE = FailFastServices.NONE;

	private static final FailFastServices FAIL_FAST = FailFastServices.of(Set.of(SERVICE));

	private static final LaneSpans OPEN_AT_10 = LaneSpans.openedAt(10);

	@Test
	void shouldGiveAnUntaggedRecordToStableOnly() {
		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, null, NONE, null, 5)).isEqualTo(Outcome.STABLE);
		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, IsolationGroup.STABLE, NONE, null, 5))
			.isEqualTo(Outcome.STABLE);
		assertThat(RecordLaneRule.decide(Role.LANE, X, SERVICE, null, NONE, null, 5)).isEqualTo(Outcome.SKIPPED);
		assertThat(RecordLaneRule.decide(Role.STANDBY, X, SERVICE, null, NONE, null, 5)).isEqualTo(Outcome.SKIPPED);
	}

	@Test
	void shouldSplitALanesRecordsAtTheOffsetTheLaneOpenedAt() {
		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, X, NONE, OPEN_AT_10, 9)).isEqualTo(Outcome.FALLBACK);
		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, X, NONE, OPEN_AT_10, 10)).isEqualTo(Outcome.SKIPPED);
		assertThat(RecordLaneRule.decide(Role.LANE, X, SERVICE, X, NONE, null, 10)).isEqualTo(Outcome.OWN_GROUP);
		assertThat(RecordLaneRule.decide(Role.STANDBY, X, SERVICE, X, NONE, null, 10)).isEqualTo(Outcome.FALLBACK);
	}

	@Test
	void shouldGiveStableTheRecordsBetweenALanesClosingAndItsReopening() {
		LaneSpans spans = LaneSpans.parse("10 20 30");

		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, X, NONE, spans, 19)).isEqualTo(Outcome.SKIPPED);
		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, X, NONE, spans, 20)).isEqualTo(Outcome.FALLBACK);
		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, X, NONE, spans, 30)).isEqualTo(Outcome.SKIPPED);
		assertThat(RecordLaneRule.decide(Role.LANE, X, SERVICE, X, NONE, spans, 19)).isEqualTo(Outcome.OWN_GROUP);
		assertThat(RecordLaneRule.decide(Role.LANE, X, SERVICE, X, NONE, spans, 20)).isEqualTo(Outcome.SKIPPED);
		assertThat(RecordLaneRule.decide(Role.STANDBY, X, SERVICE, X, NONE, spans, 29)).isEqualTo(Outcome.SKIPPED);
		assertThat(RecordLaneRule.decide(Role.STANDBY, X, SERVICE, X, NONE, spans, 30)).isEqualTo(Outcome.FALLBACK);
	}

	@Test
	void shouldGiveARecordOfAGroupWithoutALaneToStable() {
		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, Y, NONE, null, 3)).isEqualTo(Outcome.FALLBACK);
		assertThat(RecordLaneRule.decide(Role.LANE, X, SERVICE, Y, NONE, null, 3)).isEqualTo(Outcome.SKIPPED);
		assertThat(RecordLaneRule.decide(Role.STANDBY, X, SERVICE, Y, NONE, null, 3)).isEqualTo(Outcome.SKIPPED);
	}

	@Test
	void shouldNeverLetStableProcessAFailFastRecord() {
		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, Y, FAIL_FAST, null, 3)).isEqualTo(Outcome.FAIL_FAST);
		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, X, FAIL_FAST, OPEN_AT_10, 3)).isEqualTo(Outcome.FAIL_FAST);
		assertThat(RecordLaneRule.decide(Role.STANDBY, X, SERVICE, X, FAIL_FAST, null, 12)).isEqualTo(Outcome.FAIL_FAST);
		assertThat(RecordLaneRule.decide(Role.LANE, X, SERVICE, X, FAIL_FAST, null, 12)).isEqualTo(Outcome.OWN_GROUP);
		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, X, FAIL_FAST, OPEN_AT_10, 12)).isEqualTo(Outcome.SKIPPED);
	}

	@Test
	void shouldProcessAFailFastListNamingAnotherServiceAsUsual() {
		FailFastServices other = FailFastServices.of(Set.of("pricing"));

		assertThat(RecordLaneRule.decide(Role.STABLE, null, SERVICE, Y, other, null, 3)).isEqualTo(Outcome.FALLBACK);
	}

	@Test
	void shouldNameOutcomesAsMeterTags() {
		assertThat(Outcome.OWN_GROUP.tagValue()).isEqualTo("own-group");
		assertThat(Outcome.FAIL_FAST.tagValue()).isEqualTo("fail-fast");
	}

}
