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

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
