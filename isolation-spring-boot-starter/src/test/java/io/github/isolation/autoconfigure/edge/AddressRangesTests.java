package io.github.isolation.autoconfigure.edge;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AddressRangesTests {

	@Test
	void shouldMatchAddressesInsideAnIpv4RangeOnly() {
		AddressRanges ranges = AddressRanges.of(List.of("10.1.0.0/16", "192.168.7.9"));

		assertThat(ranges.contains("10.1.0.0")).isTrue();
		assertThat(ranges.contains("10.1.255.255")).isTrue();
		assertThat(ranges.contains("10.2.0.1")).isFalse();
		assertThat(ranges.contains("192.168.7.9")).isTrue();
		assertThat(ranges.contains("192.168.7.10")).isFalse();
	}

	@Test
	void shouldMatchPrefixesThatAreNotAWholeNumberOfBytes() {
		AddressRanges ranges = AddressRanges.of(List.of("172.16.0.0/12"));

		assertThat(ranges.contains("172.16.0.1")).isTrue();
		assertThat(ranges.contains("172.31.255.255")).isTrue();
		assertThat(ranges.contains("172.32.0.0")).isFalse();
		assertThat(ranges.contains("172.15.255.255")).isFalse();
	}

	@Test
	void shouldMatchIpv6RangesInAnySpellingAndIpv4MappedAddressesAsIpv4() {
		AddressRanges ranges = AddressRanges.of(List.of("fd00::/8", "::1", "127.0.0.0/8"));

		assertThat(ranges.contains("fd12:3456::7")).isTrue();
		assertThat(ranges.contains("fe80::1")).isFalse();
		assertThat(ranges.contains("0:0:0:0:0:0:0:1")).isTrue();
		assertThat(ranges.contains("[::1]")).isTrue();
		assertThat(ranges.contains("::ffff:127.0.0.2")).isTrue();
	}

	@Test
	void shouldMatchEverythingWithAZeroPrefix() {
		assertThat(AddressRanges.of(List.of("0.0.0.0/0")).contains("203.0.113.9")).isTrue();
		assertThat(AddressRanges.of(List.of("0.0.0.0/0")).contains("2001:db8::1")).isFalse();
	}

	@Test
	void shouldNotMatchMalformedAddressesNorAskDnsForNames() {
		AddressRanges ranges = AddressRanges.of(List.of("0.0.0.0/0", "::/0"));

		for (String address : new String[] { null, "", "localhost", "example.com", "10.1", "0x7f.0.0.1",
				"256.0.0.1", "1.2.3.4.5", "1..2.3", "1.2.3.4 ", "::g", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0",
				"1".repeat(100) }) {
			assertThat(ranges.contains(address)).as("%s", address).isFalse();
		}
	}

	@Test
	void shouldRefuseARangeThatIsNotACidrSayingWhichOne() {
		for (String cidr : new String[] { "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "example.com",
				"10.0.0.0/8/8", "" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> AddressRanges.of(List.of(cidr)))
				.withMessageStartingWith("address range must be a CIDR")
				.withMessageContaining("but was '" + cidr + "'");
		}
	}

	@Test
	void shouldGiveTheCanonicalFormOfAnAddress() {
		assertThat(AddressRanges.canonical("127.0.0.2")).isEqualTo("127.0.0.2");
		assertThat(AddressRanges.canonical("[::1]")).isEqualTo("0:0:0:0:0:0:0:1");
		assertThat(AddressRanges.canonical("::ffff:10.0.0.7")).isEqualTo("10.0.0.7");
		assertThat(AddressRanges.canonical("unknown")).isNull();
	}

}
