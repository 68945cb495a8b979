package io.github.isolation.autoconfigure.observation;

import java.time.Duration;
import java.util.stream.IntStream;

import io.github.isolation.core.RouteOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecentDecisions}: what it records, and that it stays within its bounds
 * whatever arrives.
 */
class RecentDecisionsTests {

	private final MutableClock clock = new MutableClock();

	@Test
	void shouldKeepOnlyTheLastDecisionsUpToItsCapacityNewestFirst() {
		// given
		RecentDecisions decisions = new RecentDecisions(3, this.clock);

		// when
		for (int i = 0; i < 5; i++) {
			decisions.decided(Decisions.of(RouteOutcome.FALLBACK, "service-" + i, "feature-x"));
			this.clock.advance(Duration.ofSeconds(1));
		}

		// then
		assertThat(decisions.entries()).extracting(RecentDecisions.Entry::service)
			.containsExactly("service-4", "service-3", "service-2");
		assertThat(decisions.entries().get(0).time()).isEqualTo(this.clock.instant().minusSeconds(1));
	}

	@Test
	void shouldRecordFallbacksHeldAndRefusedCallsButNotRoutineOnes() {
		RecentDecisions decisions = new RecentDecisions(10, this.clock);

		decisions.decided(Decisions.of(RouteOutcome.OWN_GROUP, "inventory", "feature-x"));
		decisions.decided(Decisions.of(RouteOutcome.STABLE, "inventory", "stable"));
		decisions.decided(Decisions.of(RouteOutcome.FALLBACK, "inventory", "feature-y"));
		decisions.decided(Decisions.of(RouteOutcome.HELD, "inventory", "feature-h"));
		decisions.decided(Decisions.of(RouteOutcome.FAIL_FAST, "pricing", "feature-z"));

		assertThat(decisions.entries()).extracting(RecentDecisions.Entry::outcome)
			.containsExactly(RouteOutcome.FAIL_FAST, RouteOutcome.HELD, RouteOutcome.FALLBACK);
		assertThat(decisions.entries().get(0).message())
			.startsWith("No instance of 'pricing' in isolation group 'feature-z' and 'pricing' is fail-fast");
		assertThat(decisions.entries().get(1).message()).isNull();
		assertThat(decisions.services()).containsExactlyInAnyOrder("inventory", "pricing");
	}

	@Test
	void shouldRecordNoDecisionWithACapacityOfZeroButStillTheServicesCalled() {
		RecentDecisions decisions = new RecentDecisions(0, this.clock);

		decisions.decided(Decisions.of(RouteOutcome.FAIL_FAST, "pricing", "feature-z"));

		assertThat(decisions.entries()).isEmpty();
		assertThat(decisions.services()).containsExactly("pricing");
	}

	@Test
	void shouldRememberAtMost256ServicesWhateverIdsArrive() {
		RecentDecisions decisions = new RecentDecisions(10, this.clock);

		IntStream.range(0, 1000)
			.forEach((i) -> decisions.decided(Decisions.of(RouteOutcome.STABLE, "service-" + i, "stable")));

		assertThat(decisions.services()).hasSize(256).contains("service-0", "service-255").doesNotContain("service-256");
		assertThat(decisions.entries()).isEmpty();
	}

}
