package io.github.isolation.it.gateway;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.isolation.it.gateway.Apps.App;
import io.github.isolation.testsupport.SocketHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a caller sees when a gateway route's call is refused, on both gateway servers: {@code b}
 * has only a stable instance and {@code c} only a {@code feature-x} one. A refused {@code lb://}
 * route answers {@code 503} with a problem detail; with
 * {@code isolation.problem-details.enabled=false} it is the server's own error answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayRefusedCallAnswerTests {

	private final Apps apps = new Apps();

	private final Map<Flavour, App> gateways = new EnumMap<>(Flavour.class);

	private final Map<Flavour, App> plainGateways = new EnumMap<>(Flavour.class);

	GatewayRefusedCallAnswerTests() {
		this.apps.service("b", null, null);
		this.apps.service("c", "feature-x", null);
		for (Flavour flavour : Flavour.values()) {
			this.gateways.put(flavour, this.apps.gateway(flavour));
			this.plainGateways.put(flavour, this.apps.gateway(flavour, "isolation.problem-details.enabled=false"));
		}
	}

	@AfterAll
	void stopApps() {
		this.apps.close();
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void shouldAnswer503WithAProblemDetailWhenAFailFastRouteIsRefused(Flavour flavour) {
		SocketHttp.Response response = get(this.gateways.get(flavour), "/b/hop", "isolation-group", "feature-y",
				"isolation-fail-fast", "b");

		assertThat(response.status()).isEqualTo(503);
		assertThat(response.head()).contains("content-type: application/problem+json");
		String body = response.body();
		assertThat((String) JsonPath.read(body, "$.type")).isEqualTo("urn:isolation:fail-fast");
		assertThat((Integer) JsonPath.read(body, "$.status")).isEqualTo(503);
		assertThat((String) JsonPath.read(body, "$.detail"))
			.startsWith("No instance of 'b' in isolation group 'feature-y' and 'b' is fail-fast");
		assertThat((String) JsonPath.read(body, "$.service")).isEqualTo("b");
		assertThat((String) JsonPath.read(body, "$.group")).isEqualTo("feature-y");
		assertThat((String) JsonPath.read(body, "$.outcome")).isEqualTo("fail-fast");
		assertThat((List<String>) JsonPath.read(body, "$.availableGroups")).containsExactly("stable");
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void shouldAnswer503WithAProblemDetailWhenNoInstanceCanTakeTheRoute(Flavour flavour) {
		SocketHttp.Response response = get(this.gateways.get(flavour), "/c/hop");

		assertThat(response.status()).isEqualTo(503);
		String body = response.body();
		assertThat((String) JsonPath.read(body, "$.type")).isEqualTo("urn:isolation:no-instance");
		assertThat((String) JsonPath.read(body, "$.detail")).startsWith("No stable instance of 'c'");
		assertThat((String) JsonPath.read(body, "$.service")).isEqualTo("c");
		assertThat((List<String>) JsonPath.read(body, "$.availableGroups")).containsExactly("feature-x");
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void shouldLeaveTheRefusalToTheServerWhenSwitchedOff(Flavour flavour) {
		SocketHttp.Response response = get(this.plainGateways.get(flavour), "/c/hop");

		assertThat(response.status()).isEqualTo(500);
		assertThat(response.head()).doesNotContain("application/problem+json");
	}

	private static SocketHttp.Response get(App gateway, String path, String... headers) {
		return SocketHttp.get("127.0.0.1", gateway.port(), path, headers);
	}

}
