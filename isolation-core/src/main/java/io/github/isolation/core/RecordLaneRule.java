package io.github.isolation.core;

import java.util.Locale;

/**
 * The routing rule for a Kafka record (or any record of a log read by consumer groups), as one
 * pure function: which consumer of a service processes a record, given the record's tag, the
 * consumer's part and where the record's lane is open on the record's partition.
 *
 * <p>Each listener of a service with consumer group id {@code C} reads through three kinds of
 * consumer: a stable instance's {@link Role#STABLE} consumer in {@code C}; a feature instance's
 * {@link Role#LANE} consumer in {@code C.isolation.G}; and a stable instance's
 * {@link Role#STANDBY} consumer in the same lane group {@code C.isolation.G}, which is given
 * partitions only while the lane group has no live {@code G} member. Every consumer sees every
 * record; this rule says which one processes it, so that exactly one kind does:
 * <ul>
 * <li>untagged (or stable): the stable consumer;
 * <li>tagged {@code G} at an offset outside the spans of {@code G}'s lane on that partition
 * ({@link LaneSpans}; below the offset at which it opened, after one at which it closed, or with
 * no lane at all): the stable consumer ({@link Outcome#FALLBACK}), unless the service is in the
 * record's fail-fast list ({@link Outcome#FAIL_FAST});
 * <li>tagged {@code G} inside them: the lane group, that is the {@code G} consumer
 * ({@link Outcome#OWN_GROUP}), or a stable standby while no {@code G} consumer is live
 * ({@link Outcome#FALLBACK}, or {@link Outcome#FAIL_FAST} for a fail-fast record).
 * </ul>
 * A consumer skips every other record ({@link Outcome#SKIPPED}): another consumer processes it.
 *
 * @since 0.1.0
 */
public final class RecordLaneRule {

	private RecordLaneRule() {
	}

	/** What a consumer is to the rule. */
	public enum Role {

		/** A stable instance's consumer in the listener's own group. */
		STABLE,

		/** A stable instance's consumer in a lane group, processing while no lane member is live. */
		STANDBY,

		/** A feature instance's consumer in its own group's lane group. */
		LANE;

	}

	/** What the consumer does with a record. */
	public enum Outcome {

		/** Processed by a consumer of the record's own group. */
		OWN_GROUP,

		/** An untagged record, processed by a stable consumer. */
		STABLE,

		/** A tagged record processed by a stable consumer: its group has no live consumer. */
		FALLBACK,

		/** Not processed: its service is fail-fast for the record and its group has no consumer. */
		FAIL_FAST,

		/**
		 * Not processed yet: as {@link #FAIL_FAST}, but the record waits in its lane group for a
		 * consumer of its group instead of going to the error handler (a setting of the consumer,
		 * not of this rule, which always answers {@link #FAIL_FAST}).
		 */
		WAITING,

		/** Left to another consumer, to which the rule gives it. */
		SKIPPED;

		/**
		 * The outcome as a meter tag.
		 * @return the name in lower case, with hyphens
		 */
		public String tagValue() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

	/**
	 * Decides what a consumer does with a record.
	 * @param role the consumer's part
	 * @param laneGroup the group of the consumer's lane ({@code null} for {@link Role#STABLE})
	 * @param serviceId the service the consumer belongs to
	 * @param recordGroup the record's group, or {@code null} when it carries none
	 * @param failFast the record's fail-fast list
	 * @param lane the spans of the lane of the record's group on the record's partition, as far as
	 * this consumer knows, or {@code null} when it knows none: no lane for a stable consumer; for a
	 * consumer of the lane group, which is only given partitions of an open lane and starts inside
	 * it, the lane
	 * @param offset the record's offset
	 * @return the outcome, never {@code null}
	 */
	public static Outcome decide(Role role, IsolationGroup laneGroup, String serviceId, IsolationGroup recordGroup,
			FailFastServices failFast, LaneSpans lane, long offset) {
		boolean untagged = recordGroup == null || recordGroup.isStable();
		if (role == Role.STABLE) {
			if (untagged) {
				return Outcome.STABLE;
			}
			if (lane != null && lane.contains(offset)) {
				return Outcome.SKIPPED;
			}
			return failFast.contains(serviceId) ? Outcome.FAIL_FAST : Outcome.FALLBACK;
		}
		if (untagged || !recordGroup.equals(laneGroup) || (lane != null && !lane.contains(offset))) {
			return Outcome.SKIPPED;
		}
		if (role == Role.LANE) {
			return Outcome.OWN_GROUP;
		}
		return failFast.contains(serviceId) ? Outcome.FAIL_FAST : Outcome.FALLBACK;
	}

}
