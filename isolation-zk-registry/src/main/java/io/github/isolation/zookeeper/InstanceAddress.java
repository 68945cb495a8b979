package io.github.isolation.zookeeper;

import io.github.isolation.core.LogSafe;

/**
 * The {@code host:port} an instance is reachable at, as discovery reports it, in canonical
 * form (see {@link BindingNames}): {@code Inventory-1.local:8080} and
 * {@code inventory-1.local:8080} are the same address, and so are {@code [::1]:8080} and
 * {@code [0:0:0:0:0:0:0:1]:8080}.
 *
 * @param host the canonical host, IPv6 addresses without brackets
 * @param port the port, 1 to 65535
 * @since 0.1.0
 */
public record InstanceAddress(String host, int port) {

	public InstanceAddress {
		host = BindingNames.checkHost(host);
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("port must be 1 to 65535, but was " + port);
		}
	}

	/**
	 * The address written as {@code host:port}, IPv6 hosts in brackets ({@code [::1]:8080}).
	 * @param value the address
	 * @return the address
	 * @throws IllegalArgumentException if the value is not of that form, saying why
	 */
	public static InstanceAddress parse(String value) {
		InstanceAddress address = tryParse(value);
		if (address == null) {
			throw new IllegalArgumentException("address must be HOST:PORT (an IPv4 address, a host name or an IPv6 "
					+ "address in brackets, and a port of 1 to 65535, such as 10.0.0.7:8080 or [fd00::7]:8080), "
					+ "but was " + LogSafe.quote(value));
		}
		return address;
	}

	/**
	 * The address written as {@code host:port}, or {@code null} if it is not of that form.
	 * Never throws.
	 */
	static InstanceAddress tryParse(String value) {
		if (value == null) {
			return null;
		}
		int colon = value.lastIndexOf(':');
		if (colon <= 0 || colon == value.length() - 1 || value.length() - colon - 1 > 5) {
			return null;
		}
		String host = value.substring(0, colon);
		// A bare IPv6 address has colons of its own: it must be bracketed to tell the port apart.
		if (host.indexOf(':') >= 0 && host.charAt(0) != '[') {
			return null;
		}
		int port = 0;
		for (int i = colon + 1; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return null;
			}
			port = port * 10 + (c - '0');
		}
		String canonicalHost = BindingNames.canonicalHost(host);
		if (canonicalHost == null || port < 1 || port > 65535) {
			return null;
		}
		return new InstanceAddress(canonicalHost, port);
	}

	/**
	 * The address as {@code host:port}, IPv6 hosts in brackets: the name of its node in
	 * ZooKeeper.
	 * @return the textual form
	 */
	@Override
	public String toString() {
		return (this.host.indexOf(':') >= 0) ? "[" + this.host + "]:" + this.port : this.host + ":" + this.port;
	}

}
