package io.github.isolation.kafka.lanes;

import io.github.isolation.core.RecordLaneRule.Outcome;

/**
 * Where {@link KafkaLanes} counts what its consumers did. An interface without Micrometer in
 * it, so that lanes run where Micrometer is not on the class path ({@link #NONE}); with it, see
 * {@link MicrometerLaneMeters}.
 *
 * @since 0.1.0
 */
public interface LaneMeters {

	/** Counts nothing. */
	LaneMeters NONE = new LaneMeters() {

		@Override
		public void decision(String listener, Outcome outcome) {
		}

		@Override
		public void overlaps(String listener, long records) {
		}

	};

	/**
	 * Counts one record's decision on one consumer.
	 * @param listener the listener's id
	 * @param outcome what the consumer did with the record
	 */
	void decision(String listener, Outcome outcome);

	/**
	 * Counts records that a stable consumer processed before it learnt that their lane opened.
	 * @param listener the listener's id
	 * @param records how many
	 */
	void overlaps(String listener, long records);

}
