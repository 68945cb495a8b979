package io.github.isolation.autoconfigure.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import io.github.isolation.core.LogSafe;

/**
 * A set of IP address ranges in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}; a bare
 * address is a range of one). An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.7}) is the IPv4
 * address it maps. Addresses are parsed as literals only: nothing here ever asks DNS, so a
 * hostile header cannot make a request wait on a lookup.
 *
 * @since 0.1.0
 */
public final class AddressRanges {

	/** No range: {@link #contains(String)} is always false. */
	public static final AddressRanges NONE = new AddressRanges(List.of());

	// The longest textual IPv6 address, IPv4-mapped, is 45 characters.
	private static final int MAX_ADDRESS_LENGTH = 45;

	private final List<Range> ranges;

	private AddressRanges(List<Range> ranges) {
		this.ranges = List.copyOf(ranges);
	}

	/**
	 * The ranges of trusted CIDRs, such as those from configuration.
	 * @param cidrs the ranges, such as {@code 10.0.0.0/8}, {@code 192.168.1.7} or {@code fd00::/8}
	 * @return the set
	 * @throws IllegalArgumentException if one is not a CIDR, naming it
	 */
	public static AddressRanges of(Collection<String> cidrs) {
		List<Range> ranges = new ArrayList<>(cidrs.size());
		for (String cidr : cidrs) {
			ranges.add(Range.parse(cidr));
		}
		return ranges.isEmpty() ? NONE : new AddressRanges(ranges);
	}

	/**
	 * Whether the set has no range.
	 * @return {@code true} if it has none
	 */
	public boolean isEmpty() {
		return this.ranges.isEmpty();
	}

	/**
	 * Whether an address is in one of the ranges.
	 * @param address an IP address literal, may be {@code null} or malformed
	 * @return {@code true} if it is a valid address in a range; never throws
	 */
	public boolean contains(String address) {
		byte[] bytes = parseAddress(address);
		return bytes != null && contains(bytes);
	}

	boolean contains(byte[] address) {
		for (Range range : this.ranges) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The canonical text of an IP address literal: dotted decimal for IPv4 (and IPv4-mapped
	 * IPv6), the JDK's full form for IPv6. Never asks DNS, never throws.
	 * @param address the literal, may be {@code null}, IPv6 with or without brackets
	 * @return the canonical text, or {@code null} if it is not an IP address literal
	 */
	public static String canonical(String address) {
		byte[] bytes = parseAddress(address);
		if (bytes == null) {
			return null;
		}
		try {
			return InetAddress.getByAddress(bytes).getHostAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	static byte[] parseAddress(String address) {
		if (address == null || address.isEmpty() || address.length() > MAX_ADDRESS_LENGTH + 2) {
			return null;
		}
		String text = address;
		if (text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']') {
			text = text.substring(1, text.length() - 1);
		}
		if (text.indexOf(':') < 0) {
			return parseIpv4(text);
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
				return null;
			}
		}
		try {
			// With a colon and hex digits only this is an IPv6 literal: the JDK parses it and never
			// asks DNS.
			return InetAddress.getByName(text).getAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	// Strict dotted decimal: InetAddress would also accept forms such as "10.1" or "0x7f.1".
	private static byte[] parseIpv4(String text) {
		byte[] bytes = new byte[4];
		int part = 0;
		int value = -1;
		for (int i = 0; i <= text.length(); i++) {
			char c = (i < text.length()) ? text.charAt(i) : '.';
			if (c == '.') {
				if (value < 0 || part > 3) {
					return null;
				}
				bytes[part++] = (byte) value;
				value = -1;
			}
			else if (c >= '0' && c <= '9') {
				value = (value < 0) ? (c - '0') : (value * 10 + (c - '0'));
				if (value > 255) {
					return null;
				}
			}
			else {
				return null;
			}
		}
		return (part == 4) ? bytes : null;
	}

	@Override
	public String toString() {
		return this.ranges.toString();
	}

	private record Range(byte[] network, int prefix, String text) {

		static Range parse(String cidr) {
			String value = (cidr != null) ? cidr.strip() : null;
			int slash = (value != null) ? value.indexOf('/') : -1;
			byte[] network = parseAddress((slash >= 0) ? value.substring(0, slash) : value);
			int prefix = (network != null) ? network.length * 8 : -1;
			if (network != null && slash >= 0) {
				prefix = parsePrefix(value.substring(slash + 1), network.length * 8);
			}
			if (network == null || prefix < 0) {
				throw new IllegalArgumentException("address range must be a CIDR such as 10.0.0.0/8, 192.168.1.7 or "
						+ "fd00::/8, but was " + LogSafe.quote(cidr));
			}
			return new Range(network, prefix, value);
		}

		private static int parsePrefix(String text, int max) {
			if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch((c) -> c >= '0' && c <= '9')) {
				return -1;
			}
			int prefix = Integer.parseInt(text);
			return (prefix <= max) ? prefix : -1;
		}

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (address[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (address[full] & mask) == (this.network[full] & mask);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Range range && range.prefix == this.prefix
					&& Arrays.equals(range.network, this.network);
		}

		@Override
		public int hashCode() {
			return 31 * Arrays.hashCode(this.network) + this.prefix;
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

}
