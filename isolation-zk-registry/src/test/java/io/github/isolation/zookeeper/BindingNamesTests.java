package io.github.isolation.zookeeper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BindingNamesTests {

	@Test
	void shouldFoldServiceIdsToLowerCase() {
		assertThat(BindingNames.checkServiceId("INVENTORY-Service_2.v1")).isEqualTo("inventory-service_2.v1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "-inventory", ".", "..", "inven/tory", "inven tory", "inventory\n", "k\u212Aelvin" })
	void shouldRejectMalformedServiceIds(String serviceId) {
		assertThatIllegalArgumentException().isThrownBy(() -> BindingNames.checkServiceId(serviceId))
			.withMessageStartingWith("service id must be 1 to 128 characters of [a-z0-9._-] starting with a letter or "
					+ "digit, but was '");
	}

	@Test
	void shouldRejectAServiceIdThatIsTooLong() {
		assertThatIllegalArgumentException().isThrownBy(() -> BindingNames.checkServiceId("a".repeat(129)))
			.withMessageContaining("but was 'aaaa");
		assertThat(BindingNames.checkServiceId("a".repeat(128))).hasSize(128);
	}

	@ParameterizedTest
	@CsvSource({ "10.0.0.7:8080, 10.0.0.7, 8080, 10.0.0.7:8080",
			"Inventory-1.Example.COM:80, inventory-1.example.com, 80, inventory-1.example.com:80",
			"my_service_1:8080, my_service_1, 8080, my_service_1:8080", "localhost:65535, localhost, 65535, localhost:65535",
			"[::1]:8080, ::1, 8080, [::1]:8080", "[0:0:0:0:0:0:0:1]:8080, ::1, 8080, [::1]:8080",
			"[FD00:0:0:0:0:0:0:7]:1, fd00::7, 1, [fd00::7]:1",
			"[2001:db8:0:0:1:0:0:1]:80, 2001:db8::1:0:0:1, 80, [2001:db8::1:0:0:1]:80",
			"[::ffff:10.1.2.3]:80, 10.1.2.3, 80, 10.1.2.3:80", "[::]:80, ::, 80, [::]:80" })
	void shouldParseAddressesIntoTheirCanonicalForm(String value, String host, int port, String text) {
		InstanceAddress address = InstanceAddress.parse(value);
		assertThat(address.host()).isEqualTo(host);
		assertThat(address.port()).isEqualTo(port);
		assertThat(address).hasToString(text);
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.7", "10.0.0.7:", ":8080", "10.0.0.7:0", "10.0.0.7:65536", "10.0.0.7:80a",
			"host:123456", "::1:8080", "[::1]", "[::1:8080", "::1]:8080", "999.1.1.1:80", "10.1:80", "010.0.0.1:80",
			"-host:80", "host-:80", "ho st:80", "host..com:80", "[fd00::7%eth0]:80", "[1:2:3:4:5:6:7:8:9]:80",
			"[1::2::3]:80", "[12345::]:80", "[example.com]:80", "h\u00e9st:80", "" })
	void shouldRejectMalformedAddresses(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceAddress.parse(value))
			.withMessageStartingWith("address must be HOST:PORT")
			.withMessageContaining("but was '");
	}

	@Test
	void shouldRejectAPortOutOfRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InstanceAddress("localhost", 0))
			.withMessage("port must be 1 to 65535, but was 0");
	}

	@ParameterizedTest
	@CsvSource({ "10.1.2.3, 10.1.2.3", "0:0:0:0:0:0:0:1, ::1", "FD00::7, fd00::7", "::ffff:192.168.0.1, 192.168.0.1",
			"1:0:0:2:0:0:0:3, 1:0:0:2::3", "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8" })
	void shouldCanonicalizeSourceAddresses(String value, String canonical) {
		assertThat(BindingNames.checkSourceAddress(value)).isEqualTo(canonical);
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "[::1]", "10.1.2", "10.1.2.256", "1::2::3", "::1%lo", "" })
	void shouldRejectSourceAddressesThatAreNotIps(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> BindingNames.checkSourceAddress(value))
			.withMessageStartingWith("source address must be an IPv4 or IPv6 address")
			.withMessageContaining("but was '");
	}

	@Test
	void shouldLayOutPathsUnderTheRoot() {
		BindingPaths paths = BindingPaths.of("/env/isolation/");
		assertThat(paths.root()).isEqualTo("/env/isolation");
		assertThat(paths.instancePath("Inventory", InstanceAddress.parse("[::1]:8080")))
			.isEqualTo("/env/isolation/bindings/inventory/[::1]:8080");
		assertThat(paths.sourcePath("0:0:0:0:0:0:0:1")).isEqualTo("/env/isolation/sources/::1");
		assertThat(BindingPaths.defaults().bindingsPath()).isEqualTo("/isolation/bindings");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "/", "isolation", "/isolation//x", "/a/./b" })
	void shouldRejectARootThatIsNotAPathBelowSlash(String root) {
		assertThatIllegalArgumentException().isThrownBy(() -> BindingPaths.of(root))
			.withMessageStartingWith("root must be an absolute ZooKeeper path below '/'");
	}

	@Test
	void shouldNeverEchoAPasswordInAnError() {
		assertThatIllegalArgumentException().isThrownBy(() -> DigestCredentials.parse("secretwithoutcolon"))
			.withMessage("auth must be USER:PASSWORD with a non-empty user and password, but was a value of 18 "
					+ "characters without a colon");
		assertThat(DigestCredentials.parse("admin:pa:ss").user()).isEqualTo("admin");
		assertThat(DigestCredentials.parse("admin:secret")).asString().doesNotContain("secret");
	}

}
