package io.github.isolation.core.rules;

import java.net.InetAddress;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrRangeTest {

	@Test
	void shouldContainIpv4AddressesOfItsNetworkOnly() {
		CidrRange office = CidrRange.parse("v", "10.20.0.0/16");
		assertThat(office.contains("10.20.0.1")).isTrue();
		assertThat(office.contains("10.20.255.255")).isTrue();
		assertThat(office.contains("10.21.0.1")).isFalse();
		assertThat(office.contains("::ffff:10.20.3.4")).isTrue();
		assertThat(office.contains("2001:db8::1")).isFalse();
		assertThat(office.contains("10.20.0")).isFalse();
		assertThat(office.contains("10.20.0.01")).isFalse();
		assertThat(office.contains(null)).isFalse();
		assertThat(CidrRange.parse("v", "0.0.0.0/0").contains("203.0.113.9")).isTrue();
		assertThat(CidrRange.parse("v", "192.0.2.7").contains("192.0.2.7")).isTrue();
		assertThat(CidrRange.parse("v", "192.0.2.7").contains("192.0.2.8")).isFalse();
	}

	@Test
	void shouldContainIpv6AddressesOfItsNetworkOnly() {
		CidrRange range = CidrRange.parse("v", "2001:db8:abcd::/48");
		assertThat(range.contains("2001:db8:abcd:1::5")).isTrue();
		assertThat(range.contains("2001:0db8:abcd:ffff:ffff:ffff:ffff:ffff")).isTrue();
		assertThat(range.contains("2001:db8:abce::1")).isFalse();
		assertThat(range.contains("2001:db8:abcd::1%eth0")).isTrue();
		assertThat(range.contains("10.0.0.1")).isFalse();
		assertThat(range.contains("2001:db8:abcd::1::2")).isFalse();
		assertThat(CidrRange.parse("v", "::1").contains("0:0:0:0:0:0:0:1")).isTrue();
		assertThat(CidrRange.parse("v", "fd00::/8").contains("fdff::")).isTrue();
		assertThat(CidrRange.parse("v", "fe80::1:2:3:4/100").contains("fe80::1:2:3:4")).isTrue();
	}

	@Test
	void shouldAgreeWithTheJdkOnRandomIpv6Addresses() throws Exception {
		Random random = new Random(7);
		for (int i = 0; i < 2000; i++) {
			byte[] bytes = new byte[16];
			random.nextBytes(bytes);
			if (i % 3 == 0) {
				// Runs of zero groups, so that the short "::" forms are exercised.
				java.util.Arrays.fill(bytes, 2 + random.nextInt(6), 10 + random.nextInt(6), (byte) 0);
			}
			InetAddress address = InetAddress.getByAddress(bytes);
			String text = address.getHostAddress();
			String compressed = text.replaceFirst("(^|:)(0(:0)+)(:|$)", "::");
			int prefix = random.nextInt(129);
			CidrRange own = CidrRange.parse("v", compressed + "/" + prefix);
			assertThat(own.contains(text)).as(compressed).isTrue();
			assertThat(own.contains(compressed)).as(compressed).isTrue();
			if (prefix > 0) {
				bytes[(prefix - 1) / 8] ^= (byte) (0x80 >>> ((prefix - 1) % 8));
				String flipped = InetAddress.getByAddress(bytes).getHostAddress();
				assertThat(own.contains(flipped)).as(flipped + " in " + own).isFalse();
			}
		}
	}

	@Test
	void shouldRefuseWhatIsNotARange() {
		for (String bad : new String[] { "", "10.0.0.0/33", "10.0.0/8", "host.example", "fd00::/129", "10.0.0.0/",
				"10.0.0.0/-1", "1.2.3.4.5", "fe80::1%eth0", ":::", "1:2:3:4:5:6:7:8:9", "0x0a.0.0.1" }) {
			assertThatThrownBy(() -> CidrRange.parse("values[0]", bad)).as(bad)
				.isInstanceOf(RuleValidationException.class)
				.hasMessageStartingWith("values[0] must be an IPv4 or IPv6 address");
		}
	}

}
