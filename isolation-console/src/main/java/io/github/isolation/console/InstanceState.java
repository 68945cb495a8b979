package io.github.isolation.console;

import java.time.Instant;

import io.github.isolation.core.IsolationGroup;

/**
 * One instance as the console shows it.
 *
 * @param serviceId the service id
 * @param host the host discovery (or the binding) names
 * @param port the port
 * @param group the instance's group as routing resolves it
 * @param source where that group comes from
 * @param up whether discovery lists the instance now
 * @param downSince when it left discovery, {@code null} while up or when it was never seen there
 * @since 0.1.0
 */
public record InstanceState(String serviceId, String host, int port, IsolationGroup group, GroupSource source,
		boolean up, Instant downSince) {

	/**
	 * @return {@code host:port}
	 */
	public String address() {
		return (this.host.indexOf(':') >= 0 ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

	String key() {
		return this.serviceId + " " + address();
	}

}
