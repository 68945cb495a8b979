package io.github.isolation.kafka;

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

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
