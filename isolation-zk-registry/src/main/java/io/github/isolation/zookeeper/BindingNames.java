package io.github.isolation.zookeeper;

import io.github.isolation.core.LogSafe;

/**
 * Validation and canonical forms of the names a binding is keyed by: service ids, hosts and
 * source IP addresses. Bindings are stored and looked up under the canonical form, so that the
 * same instance matches however discovery or an operator happens to spell it.
 *
 * <ul>
 * <li>Service ids: 1 to {@value #MAX_SERVICE_ID_LENGTH} characters of {@code [a-z0-9._-]},
 * starting with a letter or digit; upper-case ASCII letters are accepted and folded to lower
 * case, so {@code INVENTORY} (as Eureka reports it) and {@code inventory} are the same
 * service.</li>
 * <li>Hosts: an IPv4 address in dotted decimal, an IPv6 address (in brackets where a port
 * follows), or a host name of letters, digits, {@code -} and {@code _} in dot-separated labels
 * of at most 63 characters; host names are folded to lower case, IPv6 addresses are written in
 * their RFC 5952 form ({@code [0:0:0:0:0:0:0:1]} becomes {@code ::1}) and IPv4-mapped IPv6
 * addresses in their IPv4 form.</li>
 * <li>Source addresses: an IPv4 or IPv6 address, without brackets, as a servlet container
 * reports the caller's address.</li>
 * </ul>
 *
 * <p>The {@code check...} methods are for trusted input and throw an
 * {@link IllegalArgumentException} of the form {@code "<name> must <rule>, but was <value>"}.
 * Nothing here resolves a host name: no method ever touches the network.
 *
 * @since 0.1.0
 */
public final class BindingNames {

	/** The longest service id accepted, as in isolation-core's fail-fast list. */
	public static final int MAX_SERVICE_ID_LENGTH = 128;

	/** The longest host name accepted (RFC 1123). */
	public static final int MAX_HOST_NAME_LENGTH = 253;

	private static final int MAX_LABEL_LENGTH = 63;

	// "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" is the longest textual IPv6 address.
	private static final int MAX_IPV6_LENGTH = 45;

	private BindingNames() {
	}

	/**
	 * The canonical (lower-case) form of a service id.
	 * @param serviceId the service id, in any case
	 * @return the canonical form
	 * @throws IllegalArgumentException if the service id is malformed
	 */
	public static String checkServiceId(String serviceId) {
		String canonical = canonicalServiceId(serviceId);
		if (canonical == null) {
			throw new IllegalArgumentException("service id must be 1 to " + MAX_SERVICE_ID_LENGTH
					+ " characters of [a-z0-9._-] starting with a letter or digit, but was "
					+ LogSafe.quote(serviceId));
		}
		return canonical;
	}

	/**
	 * The canonical form of a host, without brackets.
	 * @param host an IPv4 address, an IPv6 address (with or without brackets) or a host name
	 * @return the canonical form: IPv6 addresses in RFC 5952 form without brackets
	 * @throws IllegalArgumentException if the host is malformed
	 */
	public static String checkHost(String host) {
		String canonical = canonicalHost(host);
		if (canonical == null) {
			throw new IllegalArgumentException("host must be an IPv4 address, an IPv6 address or a host name, but was "
					+ LogSafe.quote(host));
		}
		return canonical;
	}

	/**
	 * The canonical form of a source IP address.
	 * @param address an IPv4 or IPv6 address, without brackets
	 * @return the canonical form
	 * @throws IllegalArgumentException if the value is not an IP address
	 */
	public static String checkSourceAddress(String address) {
		String canonical = canonicalIp(address);
		if (canonical == null) {
			throw new IllegalArgumentException("source address must be an IPv4 or IPv6 address (such as 10.0.0.7 or "
					+ "fd00::7), but was " + LogSafe.quote(address));
		}
		return canonical;
	}

	/**
	 * The canonical form of a service id, or {@code null} if it is malformed. Never throws.
	 * @param serviceId the service id, may be {@code null}
	 * @return the lower-case form, or {@code null}
	 */
	static String canonicalServiceId(String serviceId) {
		if (serviceId == null || serviceId.isEmpty() || serviceId.length() > MAX_SERVICE_ID_LENGTH) {
			return null;
		}
		char[] chars = serviceId.toCharArray();
		for (int i = 0; i < chars.length; i++) {
			char c = lowerAscii(chars[i]);
			chars[i] = c;
			boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
			if (!letterOrDigit && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
				return null;
			}
		}
		return new String(chars);
	}

	/**
	 * Whether a service id is in canonical form already, without making a copy of it: asked
	 * on the request path, where folding would allocate on every call.
	 * @param serviceId the service id, may be {@code null}
	 * @return {@code true} if {@link #canonicalServiceId} would return an equal string
	 */
	static boolean isCanonicalServiceId(String serviceId) {
		if (serviceId == null || serviceId.isEmpty() || serviceId.length() > MAX_SERVICE_ID_LENGTH) {
			return false;
		}
		for (int i = 0; i < serviceId.length(); i++) {
			char c = serviceId.charAt(i);
			boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
			if (!letterOrDigit && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The canonical form of a host, or {@code null} if it is malformed. Never throws.
	 * @param host the host, may be {@code null}, IPv6 with or without brackets
	 * @return the canonical form without brackets, or {@code null}
	 */
	static String canonicalHost(String host) {
		if (host == null || host.isEmpty()) {
			return null;
		}
		if (host.charAt(0) == '[') {
			if (host.length() < 3 || host.charAt(host.length() - 1) != ']') {
				return null;
			}
			return canonicalIpv6(host.substring(1, host.length() - 1));
		}
		if (host.indexOf(':') >= 0) {
			return canonicalIpv6(host);
		}
		if (isDigitsAndDots(host)) {
			// Looks like IPv4: anything else of this shape (999.1.1.1, 10.1) is a typo, not a name.
			return isIpv4(host) ? host : null;
		}
		return canonicalHostName(host);
	}

	/**
	 * The canonical form of an IP address, or {@code null} if it is not one. Never throws.
	 * @param address the address, may be {@code null}
	 * @return the canonical form, or {@code null}
	 */
	static String canonicalIp(String address) {
		if (address == null || address.isEmpty()) {
			return null;
		}
		if (address.indexOf(':') >= 0) {
			return canonicalIpv6(address);
		}
		return isIpv4(address) ? address : null;
	}

	private static String canonicalHostName(String host) {
		if (host.length() > MAX_HOST_NAME_LENGTH) {
			return null;
		}
		char[] chars = host.toCharArray();
		int labelStart = 0;
		for (int i = 0; i <= chars.length; i++) {
			if (i == chars.length || chars[i] == '.') {
				int labelLength = i - labelStart;
				if (labelLength == 0 || labelLength > MAX_LABEL_LENGTH || chars[labelStart] == '-'
						|| chars[i - 1] == '-') {
					return null;
				}
				labelStart = i + 1;
				continue;
			}
			char c = lowerAscii(chars[i]);
			chars[i] = c;
			// '_' is not RFC 1123, but container runtimes hand out names like my_service_1.
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
				return null;
			}
		}
		return new String(chars);
	}

	private static boolean isDigitsAndDots(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c != '.' && (c < '0' || c > '9')) {
				return false;
			}
		}
		return true;
	}

	static boolean isIpv4(String value) {
		return parseIpv4(value, 0, value.length()) >= 0;
	}

	/**
	 * The IPv4 address in {@code value[from, to)} as an unsigned 32-bit number, or -1. Parts
	 * with a leading zero are rejected: some parsers read {@code 010} as octal 8.
	 */
	private static long parseIpv4(String value, int from, int to) {
		if (to - from < 7 || to - from > 15) {
			return -1;
		}
		long result = 0;
		int parts = 0;
		int i = from;
		while (i <= to) {
			int start = i;
			int part = 0;
			while (i < to && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
				part = part * 10 + (value.charAt(i) - '0');
				i++;
			}
			int digits = i - start;
			if (digits == 0 || digits > 3 || part > 255 || (digits > 1 && value.charAt(start) == '0')) {
				return -1;
			}
			result = (result << 8) | part;
			parts++;
			if (i == to) {
				break;
			}
			if (value.charAt(i) != '.' || parts == 4) {
				return -1;
			}
			i++;
		}
		return (parts == 4) ? result : -1;
	}

	/**
	 * The RFC 5952 form of an IPv6 address, the dotted form of an IPv4-mapped one, or
	 * {@code null}. Zone ids ({@code %eth0}) are rejected: they mean nothing to another host.
	 */
	static String canonicalIpv6(String value) {
		if (value.length() < 2 || value.length() > MAX_IPV6_LENGTH) {
			return null;
		}
		int[] groups = parseIpv6(value);
		if (groups == null) {
			return null;
		}
		if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
				&& groups[5] == 0xffff) {
			return (groups[6] >> 8) + "." + (groups[6] & 0xff) + "." + (groups[7] >> 8) + "." + (groups[7] & 0xff);
		}
		return formatIpv6(groups);
	}

	private static int[] parseIpv6(String value) {
		int[] groups = new int[8];
		int count = 0;
		int doubleColonAt = -1;
		int i = 0;
		int length = value.length();
		if (value.startsWith("::")) {
			doubleColonAt = 0;
			i = 2;
			if (length == 2) {
				return groups;
			}
		}
		else if (value.charAt(0) == ':') {
			return null;
		}
		while (i < length) {
			if (count == 8) {
				return null;
			}
			int start = i;
			int group = 0;
			while (i < length && Character.digit(value.charAt(i), 16) >= 0 && value.charAt(i) < 0x80) {
				group = (group << 4) | Character.digit(value.charAt(i), 16);
				i++;
				if (i - start > 4) {
					break;
				}
			}
			if (i < length && value.charAt(i) == '.') {
				// An embedded IPv4 address takes the last two groups.
				long ipv4 = parseIpv4(value, start, length);
				if (ipv4 < 0 || count > 6) {
					return null;
				}
				groups[count++] = (int) (ipv4 >> 16);
				groups[count++] = (int) (ipv4 & 0xffff);
				i = length;
				break;
			}
			int digits = i - start;
			if (digits == 0 || digits > 4) {
				return null;
			}
			groups[count++] = group;
			if (i == length) {
				break;
			}
			if (value.charAt(i) != ':') {
				return null;
			}
			i++;
			if (i < length && value.charAt(i) == ':') {
				if (doubleColonAt >= 0) {
					return null;
				}
				doubleColonAt = count;
				i++;
			}
			else if (i == length) {
				// A single trailing colon.
				return null;
			}
		}
		if (doubleColonAt < 0) {
			return (count == 8) ? groups : null;
		}
		if (count == 8) {
			// "::" must stand for at least one group.
			return null;
		}
		int moved = count - doubleColonAt;
		System.arraycopy(groups, doubleColonAt, groups, 8 - moved, moved);
		for (int k = doubleColonAt; k < 8 - moved; k++) {
			groups[k] = 0;
		}
		return groups;
	}

	private static String formatIpv6(int[] groups) {
		// RFC 5952: the longest run of two or more zero groups (the first on a tie) becomes "::".
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8; i++) {
			if (groups[i] == 0) {
				int j = i;
				while (j < 8 && groups[j] == 0) {
					j++;
				}
				if (j - i > bestLength) {
					bestStart = i;
					bestLength = j - i;
				}
				i = j;
			}
		}
		StringBuilder out = new StringBuilder(39);
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				out.append("::");
				i += bestLength - 1;
				continue;
			}
			if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
				out.append(':');
			}
			out.append(Integer.toHexString(groups[i]));
		}
		return out.toString();
	}

	private static char lowerAscii(char c) {
		// Only A-Z is folded: String.toLowerCase would turn the Kelvin sign into 'k'.
		return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
	}

}
