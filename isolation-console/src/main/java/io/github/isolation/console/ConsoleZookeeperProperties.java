package io.github.isolation.console;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The ZooKeeper the console reads and writes bindings in: the same names as the starter's, so
 * that one set of settings serves both.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("isolation.zookeeper")
public class ConsoleZookeeperProperties {

	/**
	 * The ensemble, such as {@code zk1:2181,zk2:2181}. Unset: {@code spring.cloud.zookeeper.connect-string}.
	 */
	private String connectString;

	/**
	 * The node under which bindings live.
	 */
	private String root = "/isolation";

	/**
	 * Digest credentials, {@code user:password}, for every write: the nodes the console writes
	 * can then be changed only by this identity, and nodes protected by it can be changed.
	 */
	private String auth;

	/**
	 * The ZooKeeper session timeout of the console's client.
	 */
	private Duration sessionTimeout = Duration.ofSeconds(60);

	/**
	 * How long the console's client waits for a connection before retrying.
	 */
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
		this.root = root;
	}

	public String getAuth() {
		return this.auth;
	}

	public void setAuth(String auth) {
		this.auth = auth;
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
