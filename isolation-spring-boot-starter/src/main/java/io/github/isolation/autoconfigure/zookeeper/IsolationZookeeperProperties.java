package io.github.isolation.autoconfigure.zookeeper;

import java.time.Duration;

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

	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	public void setConnectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
	}

}
