package io.github.isolation.core.rules;

/**
 * A range of IPv4 or IPv6 addresses in CIDR notation ({@code 10.0.0.0/8},
 * {@code 2001:db8::/32}); a bare address is a range of one. An IPv4 range also holds the
 * IPv4-mapped IPv6 form of its addresses ({@code ::ffff:10.1.2.3}).
 *
 * <p>Addresses are parsed by hand, never through DNS, and {@link #contains(CharSequence)}
 * allocates nothing.
 *
 * @since 0.1.0
 */
public final class CidrRange {

	private final boolean ipv4;

	private final int prefixLength;

	// The network's bits: for IPv4 in the low 32 bits of low; for IPv6 the high and low 64.
	private final long high;

	private final long low;

	private final long highMask;

	private final long lowMask;

	private final String text;

	private CidrRange(boolean ipv4, int prefixLength, long high, long low, String text) {
		this.ipv4 = ipv4;
		this.prefixLength = prefixLength;
		if (ipv4) {
			this.highMask = 0;
			this.lowMask = (prefixLength == 0) ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
		}
		else {
			this.highMask = (prefixLength == 0) ? 0 : (prefixLength >= 64) ? -1L : -1L << (64 - prefixLength);
			this.lowMask = (prefixLength <= 64) ? 0 : (prefixLength == 128) ? -1L : -1L << (128 - prefixLength);
		}
		this.high = high & this.highMask;
		this.low = low & this.lowMask;
		this.text = text;
	}

	/**
	 * Parses a range.
	 * @param field the field it is in, for the error
	 * @param cidr such as {@code 192.168.0.0/16}, {@code fd00::/8} or {@code 10.1.2.3}
	 * @return the range
	 * @throws RuleValidationException if it is not an IP address literal with an optional prefix
	 * length that fits it
	 */
	public static CidrRange parse(String field, String cidr) {
		if (cidr == null || cidr.isEmpty() || cidr.length() > 64) {
			throw invalid(field, cidr);
		}
		int slash = cidr.indexOf('/');
		int end = (slash >= 0) ? slash : cidr.length();
		boolean ipv4 = cidr.lastIndexOf(':', end) < 0;
		int max = ipv4 ? 32 : 128;
		int prefix = max;
		if (slash >= 0) {
			String digits = cidr.substring(slash + 1);
			if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch((c) -> c >= '0' && c <= '9')) {
				throw invalid(field, cidr);
			}
			prefix = Integer.parseInt(digits);
			if (prefix > max) {
				throw invalid(field, cidr);
			}
		}
		if (ipv4) {
			long address = ipv4(cidr, 0, end);
			if (address < 0) {
				throw invalid(field, cidr);
			}
			return new CidrRange(true, prefix, 0, address, cidr);
		}
		if (cidr.indexOf('%') >= 0 || !isIpv6(cidr, 0, end)) {
			throw invalid(field, cidr);
		}
		return new CidrRange(false, prefix, ipv6Half(cidr, 0, end, true), ipv6Half(cidr, 0, end, false), cidr);
	}

	/**
	 * Whether an address is in the range.
	 * @param address an IPv4 or IPv6 literal (an IPv6 zone such as {@code %eth0} is ignored), may
	 * be {@code null}
	 * @return {@code true} if it is a valid literal within the range
	 */
	public boolean contains(CharSequence address) {
		if (address == null || address.length() == 0 || address.length() > 64) {
			return false;
		}
		int end = address.length();
		for (int i = 0; i < end; i++) {
			if (address.charAt(i) == '%') {
				end = i;
				break;
			}
		}
		boolean v6 = false;
		for (int i = 0; i < end; i++) {
			if (address.charAt(i) == ':') {
				v6 = true;
				break;
			}
		}
		if (!v6) {
			if (!this.ipv4) {
				return false;
			}
			long value = ipv4(address, 0, end);
			return value >= 0 && (value & this.lowMask) == this.low;
		}
		if (!isIpv6(address, 0, end)) {
			return false;
		}
		long addressHigh = ipv6Half(address, 0, end, true);
		long addressLow = ipv6Half(address, 0, end, false);
		if (this.ipv4) {
			// ::ffff:a.b.c.d carries an IPv4 address.
			boolean mapped = addressHigh == 0 && (addressLow >>> 32) == 0xffffL;
			return mapped && ((addressLow & 0xffffffffL) & this.lowMask) == this.low;
		}
		return (addressHigh & this.highMask) == this.high && (addressLow & this.lowMask) == this.low;
	}

	/**
	 * Whether this is an IPv4 range.
	 * @return {@code true} for IPv4, {@code false} for IPv6
	 */
	public boolean isIpv4() {
		return this.ipv4;
	}

	/**
	 * The prefix length.
	 * @return 0 to 32 for IPv4, 0 to 128 for IPv6
	 */
	public int prefixLength() {
		return this.prefixLength;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof CidrRange range && this.ipv4 == range.ipv4 && this.prefixLength == range.prefixLength
				&& this.high == range.high && this.low == range.low;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.high) * 31 + Long.hashCode(this.low) * 7 + this.prefixLength;
	}

	/**
	 * The range as written.
	 * @return such as {@code 10.0.0.0/8}
	 */
	@Override
	public String toString() {
		return this.text;
	}

	private static RuleValidationException invalid(String field, String cidr) {
		return new RuleValidationException(field, "must be an IPv4 or IPv6 address with an optional /prefix-length "
				+ "(such as 10.0.0.0/8 or fd00::/8), but was " + Rules.quote(cidr));
	}

	// a.b.c.d as an unsigned 32-bit value, or -1.
	static long ipv4(CharSequence text, int from, int to) {
		long value = 0;
		int octets = 0;
		int i = from;
		while (i < to) {
			int start = i;
			int octet = 0;
			while (i < to && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
				octet = octet * 10 + (text.charAt(i) - '0');
				i++;
				if (i - start > 3) {
					return -1;
				}
			}
			// No empty octets, no leading zeros (which some parsers read as octal).
			if (i == start || octet > 255 || (i - start > 1 && text.charAt(start) == '0')) {
				return -1;
			}
			value = (value << 8) | octet;
			octets++;
			if (i < to) {
				if (text.charAt(i) != '.' || octets == 4) {
					return -1;
				}
				i++;
				if (i == to) {
					return -1;
				}
			}
		}
		return (octets == 4) ? value : -1;
	}

	private static boolean isIpv6(CharSequence text, int from, int to) {
		int gap = gapAt(text, from, to);
		if (gap == -2) {
			return false;
		}
		if (gap < 0) {
			return groups(text, from, to, true) == 8;
		}
		int head = (gap == from) ? 0 : groups(text, from, gap, false);
		int tail = (gap + 2 == to) ? 0 : groups(text, gap + 2, to, true);
		return head >= 0 && tail >= 0 && head + tail <= 7;
	}

	// Where "::" is, -1 if nowhere, -2 if twice.
	private static int gapAt(CharSequence text, int from, int to) {
		int gap = -1;
		for (int i = from; i + 1 < to; i++) {
			if (text.charAt(i) == ':' && text.charAt(i + 1) == ':') {
				if (gap >= 0) {
					return -2;
				}
				gap = i;
			}
		}
		return gap;
	}

	// How many 16-bit groups a run of "h:h:h" holds (an IPv4 tail counts two), or -1.
	private static int groups(CharSequence text, int from, int to, boolean ipv4TailAllowed) {
		int count = 0;
		int i = from;
		while (i <= to) {
			int start = i;
			while (i < to && text.charAt(i) != ':') {
				i++;
			}
			int length = i - start;
			if (length == 0) {
				return -1;
			}
			if (i == to && ipv4TailAllowed && contains(text, start, to, '.')) {
				if (ipv4(text, start, to) < 0) {
					return -1;
				}
				return count + 2;
			}
			if (length > 4 || !isHex(text, start, i)) {
				return -1;
			}
			count++;
			if (i == to) {
				return count;
			}
			i++;
			if (i == to) {
				// A trailing single ':'.
				return -1;
			}
		}
		return count;
	}

	// One half of a valid IPv6 literal's 128 bits.
	private static long ipv6Half(CharSequence text, int from, int to, boolean high) {
		int gap = gapAt(text, from, to);
		if (gap < 0) {
			return bits(text, from, to, 0, high);
		}
		long value = 0;
		if (gap > from) {
			value |= bits(text, from, gap, 0, high);
		}
		if (gap + 2 < to) {
			int tail = groups(text, gap + 2, to, true);
			value |= bits(text, gap + 2, to, 8 - tail, high);
		}
		return value;
	}

	// The bits that groups from index first onwards put into one half.
	private static long bits(CharSequence text, int from, int to, int first, boolean high) {
		long value = 0;
		int index = first;
		int i = from;
		while (i < to) {
			int start = i;
			while (i < to && text.charAt(i) != ':') {
				i++;
			}
			if (i == to && contains(text, start, to, '.')) {
				long v4 = ipv4(text, start, to);
				value |= place(v4 >>> 16, index, high) | place(v4 & 0xffff, index + 1, high);
				return value;
			}
			long group = 0;
			for (int j = start; j < i; j++) {
				group = (group << 4) | Character.digit(text.charAt(j), 16);
			}
			value |= place(group, index, high);
			index++;
			i++;
		}
		return value;
	}

	private static long place(long group, int index, boolean high) {
		if (high == (index < 4)) {
			return group << (16 * (3 - (index & 3)));
		}
		return 0;
	}

	private static boolean isHex(CharSequence text, int from, int to) {
		for (int i = from; i < to; i++) {
			if (Character.digit(text.charAt(i), 16) < 0 || text.charAt(i) > 'f') {
				return false;
			}
		}
		return true;
	}

	private static boolean contains(CharSequence text, int from, int to, char c) {
		for (int i = from; i < to; i++) {
			if (text.charAt(i) == c) {
				return true;
			}
		}
		return false;
	}

}
