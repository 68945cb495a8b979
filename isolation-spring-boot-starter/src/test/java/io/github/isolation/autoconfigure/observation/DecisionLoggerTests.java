package io.github.isolation.autoconfigure.observation;

import java.time.Duration;

import io.github.isolation.core.RouteOutcome;
import io.github.isolation.core.TagRejection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DecisionLogger}: what it logs at which level, and how it keeps a storm of
 * decisions from flooding the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class DecisionLoggerTests {

	private static final Duration INTERVAL = Duration.ofMinutes(1);

	private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

	private final MutableClock clock = new MutableClock();

	private final DecisionLogger logger = new DecisionLogger(INTERVAL, this.clock);

	@BeforeEach
	void logEveryLevel() {
		// Another test in this JVM may have set up Boot's logging at INFO; fallbacks log at DEBUG.
		this.logging.setLogLevel(DecisionLogger.class.getName(), LogLevel.DEBUG);
	}

	@AfterEach
	void resetLevel() {
		this.logging.setLogLevel(DecisionLogger.class.getName(), null);
	}

	@Test
	void shouldLogARefusedCallAtWarnWithItsExplanationOncePerIntervalPerServiceAndGroup(CapturedOutput output) {
		// given
		for (int i = 0; i < 100; i++) {
			this.logger.decided(Decisions.of(RouteOutcome.FAIL_FAST, "inventory", "feature-x"));
		}
		this.logger.decided(Decisions.of(RouteOutcome.FAIL_FAST, "inventory", "feature-y"));
		this.logger.decided(Decisions.of(RouteOutcome.NO_INSTANCE, "inventory", "feature-x"));

		// when
		this.clock.advance(INTERVAL);
		this.logger.decided(Decisions.of(RouteOutcome.FAIL_FAST, "inventory", "feature-x"));

		// then
		assertThat(lines(output, "WARN", "No instance of 'inventory' in isolation group 'feature-x' and 'inventory' is "
				+ "fail-fast")).isEqualTo(2);
		assertThat(lines(output, "WARN", "No instance of 'inventory' in isolation group 'feature-y'")).isEqualTo(1);
		assertThat(lines(output, "WARN", "No instance of 'inventory' in isolation group 'feature-x' nor in 'stable'"))
			.as("a no-instance decision is a kind of its own")
			.isEqualTo(1);
	}

	@Test
	void shouldLogAHeldDecisionAtInfoAndAFallbackAtDebug(CapturedOutput output) {
		this.logger.decided(Decisions.of(RouteOutcome.HELD, "inventory", "feature-x"));
		this.logger.decided(Decisions.of(RouteOutcome.FALLBACK, "pricing", "feature-x"));
		this.logger.decided(Decisions.of(RouteOutcome.FALLBACK, "pricing", "feature-x"));

		assertThat(lines(output, "INFO", "Discovery lists no instance of 'inventory' in isolation group 'feature-x': "
				+ "calling the 1 it listed before")).isEqualTo(1);
		assertThat(lines(output, "DEBUG", "No instance of 'pricing' in isolation group 'feature-x': falling back to "
				+ "stable")).isEqualTo(1);
	}

	@Test
	void shouldNotLogAFallbackUnlessDebugIsOn(CapturedOutput output) {
		this.logging.setLogLevel(DecisionLogger.class.getName(), LogLevel.INFO);

		this.logger.decided(Decisions.of(RouteOutcome.FALLBACK, "pricing", "feature-x"));
		this.logger.decided(Decisions.of(RouteOutcome.HELD, "pricing", "feature-x"));

		assertThat(lines(output, "DEBUG", "'pricing'")).isZero();
		assertThat(lines(output, "INFO", "'pricing'")).isEqualTo(1);
	}

	@Test
	void shouldNotLogRoutineDecisions(CapturedOutput output) {
		this.logger.decided(Decisions.of(RouteOutcome.OWN_GROUP, "inventory", "feature-x"));
		this.logger.decided(Decisions.of(RouteOutcome.STABLE, "inventory", "stable"));

		assertThat(lines(output, "", "'inventory'")).isZero();
	}

	@Test
	void shouldLogADroppedTagAtWarnOncePerIntervalPerFieldAndReason(CapturedOutput output) {
		for (int i = 0; i < 100; i++) {
			this.logger.rejected("isolation-group", TagRejection.INVALID_CHARACTERS);
		}
		this.logger.rejected("isolation-group", TagRejection.TOO_LONG);
		this.logger.rejected("isolation-fail-fast", TagRejection.INVALID_CHARACTERS);

		assertThat(lines(output, "WARN", "Dropped the isolation-group tag received from the network (invalid "
				+ "characters); the request goes on without it")).isEqualTo(1);
		assertThat(lines(output, "WARN", "Dropped the isolation-group tag received from the network (too long)"))
			.isEqualTo(1);
		assertThat(lines(output, "WARN", "Dropped the isolation-fail-fast tag")).isEqualTo(1);
	}

	@Test
	void shouldForgetWhatItLoggedRatherThanGrowWithoutBound(CapturedOutput output) {
		// given: as many distinct services as it remembers
		for (int i = 0; i < 1024; i++) {
			this.logger.decided(Decisions.of(RouteOutcome.FAIL_FAST, "service-" + i, "feature-x"));
		}
		this.logger.decided(Decisions.of(RouteOutcome.FAIL_FAST, "service-0", "feature-x"));
		assertThat(lines(output, "WARN", "'service-0' in")).as("still remembered").isEqualTo(1);

		// when: one more makes it start afresh
		this.logger.decided(Decisions.of(RouteOutcome.FAIL_FAST, "service-1024", "feature-x"));
		this.logger.decided(Decisions.of(RouteOutcome.FAIL_FAST, "service-0", "feature-x"));

		// then: logged again within the interval, since what it knew is gone
		assertThat(lines(output, "WARN", "'service-0' in")).isEqualTo(2);
	}

	private static long lines(CapturedOutput output, String level, String text) {
		return output.getOut().lines().filter((line) -> line.contains(level) && line.contains(text)).count();
	}

}
