package io.github.isolation.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of weak isolation for this application.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = IsolationProperties.PREFIX)
public class IsolationProperties {

	/** The prefix of every property. */
	public static final String PREFIX = "isolation";

	/**
	 * Whether to route load-balanced calls by isolation group. When false the application
	 * behaves exactly as without the starter.
	 */
	private boolean enabled = true;

	/**
	 * The isolation group of this instance; stable when unset (or, with ZooKeeper, the group
	 * this instance is bound to there). Untagged requests that enter it take this group for
	 * the calls they make. Names are 1 to 63 characters of [a-z0-9._-], starting with a letter
	 * or digit.
	 */
	private String group;

	/**
	 * Service ids that calls from this application must never route to stable when the
	 * request's group has no instance of them: such a call fails at once instead.
	 */
	private List<String> failFast = new ArrayList<>();

	private final Instance instance = new Instance();

	private final Debug debug = new Debug();

	private final Metrics metrics = new Metrics();

	private final Discovery discovery = new Discovery();

	private final ProblemDetails problemDetails = new ProblemDetails();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getGroup() {
		return this.group;
	}

	public void setGroup(String group) {
		try {
			IsolationGroup.of(group);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ".group: " + ex.getMessage());
		}
		this.group = group;
	}

	public List<String> getFailFast() {
		return this.failFast;
	}

	public void setFailFast(List<String> failFast) {
		try {
			FailFastServices.of(failFast);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ".fail-fast: " + ex.getMessage());
		}
		this.failFast = failFast;
	}

	public Instance getInstance() {
		return this.instance;
	}

	public Debug getDebug() {
		return this.debug;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Discovery getDiscovery() {
		return this.discovery;
	}

	public ProblemDetails getProblemDetails() {
		return this.problemDetails;
	}

	/**
	 * How a refused call answers the request it was made for.
	 */
	public static class ProblemDetails {

		/**
		 * Whether a call the routing rule refused (fail-fast, or no instance), propagating out
		 * of a handler or a gateway route, answers 503 with an RFC 9457 problem detail saying
		 * why. When false the application's error handling sees the exception as it is.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * What developers can see of routing while they debug.
	 */
	public static class Debug {

		/**
		 * Whether each hop appends service@group to an isolation-route response header, so
		 * that curl -i shows the path a request took.
		 */
		private boolean routeHeader = false;

		/**
		 * How many of the last fallback, fail-fast and no-instance decisions the isolation
		 * actuator endpoint shows.
		 */
		private int recentDecisions = 20;

		/**
		 * Whether the isolation actuator endpoint accepts writes that bind this instance to a
		 * group, or remove its binding, in ZooKeeper (with this application's ZooKeeper
		 * credentials). Read-only unless set.
		 */
		private boolean endpointWrites = false;

		public boolean isEndpointWrites() {
			return this.endpointWrites;
		}

		public void setEndpointWrites(boolean endpointWrites) {
			this.endpointWrites = endpointWrites;
		}

		public boolean isRouteHeader() {
			return this.routeHeader;
		}

		public void setRouteHeader(boolean routeHeader) {
			this.routeHeader = routeHeader;
		}

		public int getRecentDecisions() {
			return this.recentDecisions;
		}

		public void setRecentDecisions(int recentDecisions) {
			if (recentDecisions < 0 || recentDecisions > 1000) {
				throw new IllegalArgumentException(
						PREFIX + ".debug.recent-decisions must be 0 to 1000, but was " + recentDecisions);
			}
			this.recentDecisions = recentDecisions;
		}

	}

	/**
	 * Micrometer meters of routing.
	 */
	public static class Metrics {

		/**
		 * How many distinct groups the meters name; decisions for further groups are tagged
		 * group=other, so that short-lived groups cannot grow the meter registry without bound.
		 */
		private int maxGroups = 20;

		public int getMaxGroups() {
			return this.maxGroups;
		}

		public void setMaxGroups(int maxGroups) {
			if (maxGroups < 0) {
				throw new IllegalArgumentException(PREFIX + ".metrics.max-groups must be 0 or more, but was " + maxGroups);
			}
			this.maxGroups = maxGroups;
		}

	}

	/**
	 * How this instance's own discovery registration is kept.
	 */
	public static class Discovery {

		/**
		 * With Spring Cloud ZooKeeper discovery: whether a reconnect to ZooKeeper that the
		 * session survives rewrites this instance's registration in place, instead of deleting
		 * and recreating it as Curator does, which takes the instance out of discovery for a
		 * moment and sends its group's calls to stable meanwhile.
		 */
		private boolean keepRegistrationOnReconnect = true;

		public boolean isKeepRegistrationOnReconnect() {
			return this.keepRegistrationOnReconnect;
		}

		public void setKeepRegistrationOnReconnect(boolean keepRegistrationOnReconnect) {
			this.keepRegistrationOnReconnect = keepRegistrationOnReconnect;
		}

	}

	/**
	 * The address this instance binds itself under, when discovery's own registration cannot
	 * tell it.
	 */
	public static class Instance {

		/**
		 * The host this instance is reachable at, as discovery reports it. Defaults to the
		 * discovery registration's host, else server.address, else the first non-loopback
		 * address.
		 */
		private String host;

		/**
		 * The port this instance is reachable at, as discovery reports it. Defaults to the
		 * discovery registration's port, else the web server's actual port.
		 */
		private Integer port;

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public Integer getPort() {
			return this.port;
		}

		public void setPort(Integer port) {
			this.port = port;
		}

	}

}
