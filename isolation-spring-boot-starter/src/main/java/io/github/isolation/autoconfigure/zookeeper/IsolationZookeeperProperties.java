package io.github.isolation.autoconfigure.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.isolation.zookeeper.BindingNames;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.DigestCredentials;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the bindings of instances and sources to groups live in ZooKeeper.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = IsolationZookeeperProperties.PREFIX)
public class IsolationZookeeperProperties {

	/** The prefix of every property. */
	public static final String PREFIX = "isolation.zookeeper";

	/**
	 * The ZooKeeper ensemble, such as zk1:2181,zk2:2181. Defaults to
	 * spring.cloud.zookeeper.connect-string, whose client is then shared.
	 */
	private String connectString;

	/** The node under which bindings live. */
	private String root = "/isolation";

	/**
	 * Digest credentials as user:password. When set, bindings are written so that only this
	 * identity may change them, while anyone may read them; a client of its own is used.
	 */
	private String auth;

	/**
	 * Whether this application cannot route correctly without the bindings: then its health
	 * is DOWN until a first view of them is loaded. Otherwise it routes by discovery metadata
	 * meanwhile and stays UP.
	 */
	private boolean required = false;

	/** The ZooKeeper session timeout of a client of its own. */
	private Duration sessionTimeout = Duration.ofSeconds(60);

	/** How long a client of its own waits for a connection before retrying. */
	private Duration connectionTimeout = Duration.ofSeconds(15);

	/**
	 * Which bindings this instance holds in memory: all (every service's, and the source
	 * bindings), or used (only those of the services it calls, learned as its load-balancer
	 * clients are created, of its own service and of view-services; the source bindings only
	 * if it is an edge). Used saves memory and ZooKeeper traffic where there are many
	 * bindings; the first call to a service then reads its bindings before it is routed.
	 */
	private View view = View.ALL;

	/**
	 * With view=used, services whose bindings are held from the start, besides this
	 * application's own: for example services that are called without a load-balancer
	 * client, or whose first call must not wait for ZooKeeper.
	 */
	private List<String> viewServices = new ArrayList<>();

	/**
	 * With view=used, how long the first call to a service waits at most for its bindings to
	 * be read; if they are not read by then (ZooKeeper unreachable, say), its calls are routed
	 * by discovery metadata until they arrive, and a warning says so.
	 */
	private Duration viewFirstReadTimeout = Duration.ofSeconds(1);

	public String getConnectString() {
		return this.connectString;
	}

	public void setConnectString(String connectString) {
		this.connectString = connectString;
	}

	public String getRoot() {
		return this.root;
	}

	public void setRoot(String root) {
		try {
			BindingPaths.of(root);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ".root: " + ex.getMessage());
		}
		this.root = root;
	}

	public String getAuth() {
		return this.auth;
	}

	public void setAuth(String auth) {
		try {
			DigestCredentials.parse(auth);
		}
		catch (IllegalArgumentException ex) {
			// The message never shows the secret itself.
			throw new IllegalArgumentException(PREFIX + ".auth: " + ex.getMessage());
		}
		this.auth = auth;
	}

	public boolean isRequired() {
		return this.required;
	}

	public void setRequired(boolean required) {
		this.required = required;
	}

	public Duration getSessionTimeout() {
		return this.sessionTimeout;
	}

	public void setSessionTimeout(Duration sessionTimeout) {
		this.sessionTimeout = sessionTimeout;
	}

	public View getView() {
		return this.view;
	}

	public void setView(View view) {
		this.view = view;
	}

	public List<String> getViewServices() {
		return this.viewServices;
	}

	public void setViewServices(List<String> viewServices) {
		for (String service : viewServices) {
			try {
				BindingNames.checkServiceId(service);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(PREFIX + ".view-services: " + ex.getMessage());
			}
		}
		this.viewServices = new ArrayList<>(viewServices);
	}

	public Duration getViewFirstReadTimeout() {
		return this.viewFirstReadTimeout;
	}

	public void setViewFirstReadTimeout(Duration viewFirstReadTimeout) {
		if (viewFirstReadTimeout.isNegative()) {
			throw new IllegalArgumentException(
					PREFIX + ".view-first-read-timeout: must not be negative, but was " + viewFirstReadTimeout);
		}
		this.viewFirstReadTimeout = viewFirstReadTimeout;
	}

	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	public void setConnectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
	}

	/** Which bindings an instance holds. */
	public enum View {

		/** Every binding under the root. */
		ALL,

		/** Only the bindings of the services this instance uses, and the source bindings at an edge. */
		USED

	}

}
