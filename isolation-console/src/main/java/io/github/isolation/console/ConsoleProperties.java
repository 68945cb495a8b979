package io.github.isolation.console;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the console shows and who may use it.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("isolation.console")
public class ConsoleProperties {

	/**
	 * Users who log in with a password, by user name: each with a {@code password} (a
	 * {@code {bcrypt}...} hash, or {@code {noop}secret} for a demo) and a {@code role},
	 * {@code viewer} (reads) or {@code operator} (reads and writes bindings).
	 */
	private Map<String, User> users = new LinkedHashMap<>();

	/**
	 * How often the console reads the instances from discovery. Bindings follow ZooKeeper's
	 * watches and need no refresh.
	 */
	private Duration refreshInterval = Duration.ofSeconds(1);

	/**
	 * How long an instance that left discovery stays in the matrix, shown as down.
	 */
	private Duration goneRetention = Duration.ofMinutes(10);

	/**
	 * How many characters of a name or value read from ZooKeeper or discovery are shown; the
	 * rest is cut and its length stated.
	 */
	private int maxShownLength = 80;

	/**
	 * The authority (as the OIDC provider grants it, such as {@code SCOPE_isolation.operate})
	 * that makes a user who logs in through OIDC an operator; every other OIDC user is a viewer.
	 * Unset: OIDC users are viewers.
	 */
	private String oidcOperatorAuthority;

	public Map<String, User> getUsers() {
		return this.users;
	}

	public void setUsers(Map<String, User> users) {
		this.users = users;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

	public Duration getGoneRetention() {
		return this.goneRetention;
	}

	public void setGoneRetention(Duration goneRetention) {
		this.goneRetention = goneRetention;
	}

	public int getMaxShownLength() {
		return this.maxShownLength;
	}

	public void setMaxShownLength(int maxShownLength) {
		this.maxShownLength = maxShownLength;
	}

	public String getOidcOperatorAuthority() {
		return this.oidcOperatorAuthority;
	}

	public void setOidcOperatorAuthority(String oidcOperatorAuthority) {
		this.oidcOperatorAuthority = oidcOperatorAuthority;
	}

	/**
	 * A user of the console.
	 */
	public static class User {

		/**
		 * The password, with its encoding prefix: {@code {bcrypt}$2a$...} or {@code {noop}secret}.
		 */
		private String password;

		/**
		 * {@code viewer} or {@code operator}.
		 */
		private ConsoleRole role = ConsoleRole.VIEWER;

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public ConsoleRole getRole() {
			return this.role;
		}

		public void setRole(ConsoleRole role) {
			this.role = role;
		}

	}

}
