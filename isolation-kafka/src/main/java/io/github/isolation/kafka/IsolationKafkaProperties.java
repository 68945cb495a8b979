package io.github.isolation.kafka;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of isolation for Kafka records.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = IsolationKafkaProperties.PREFIX)
public class IsolationKafkaProperties {

	/** The prefix of these properties. */
	public static final String PREFIX = "isolation.kafka";

	/**
	 * Whether records sent carry the isolation tag as headers and a record listener processes
	 * each record in the record's tag. Off: Kafka is left as it is.
	 */
	private boolean enabled = true;

	private final Lanes lanes = new Lanes();

	public Lanes getLanes() {
		return this.lanes;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Lanes: which consumer of a service processes a record, by the record's tag.
	 */
	public static class Lanes {

		/**
		 * Whether record listeners follow the isolation rule: a feature instance joins the lane
		 * consumer group "C.isolation.G" instead of its listener's group "C" and processes only
		 * records tagged with its group; stable instances process the rest, and stand by in each
		 * lane group to take a lane's records while it has no live consumer. Needs ZooKeeper
		 * (isolation.zookeeper.connect-string) and spring.application.name. Off: every instance
		 * joins its listener's group and processes whatever it is given.
		 */
		private boolean enabled = false;

		/**
		 * What happens to a record whose service is in its isolation-fail-fast list while the
		 * record's group has no live consumer of the service: "error-handler" hands it to the
		 * listener's error handler with a RecordRoutingException; "wait" keeps it, with the records
		 * of its group after it on its partition, until a consumer of its group starts, which then
		 * processes it. Stable never processes it either way.
		 */
		private FailFast failFast = FailFast.ERROR_HANDLER;

		/**
		 * How long a lane's group may have no live consumer of a listener before the lane
		 * retires: the stable instances close it on each partition where they stand, their
		 * standby consumers in the lane group process its records up to there and stop, and the
		 * group's records go to stable until a consumer of the group starts and opens the lane
		 * again. 0 keeps lanes open, and their standbys running, for ever.
		 */
		private Duration retireAfter = Duration.ofMinutes(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getRetireAfter() {
			return this.retireAfter;
		}

		public void setRetireAfter(Duration retireAfter) {
			this.retireAfter = retireAfter;
		}

		public FailFast getFailFast() {
			return this.failFast;
		}

		public void setFailFast(FailFast failFast) {
			this.failFast = failFast;
		}

	}

	/**
	 * What happens to a fail-fast record whose group has no live consumer.
	 */
	public enum FailFast {

		/** It goes to the listener's error handler, with a {@code RecordRoutingException}. */
		ERROR_HANDLER,

		/** It waits in its group's lane group for a consumer of its group. */
		WAIT

	}

}
