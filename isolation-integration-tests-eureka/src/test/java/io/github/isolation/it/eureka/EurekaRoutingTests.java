package io.github.isolation.it.eureka;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import com.netflix.appinfo.InstanceInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.isolation.it.eureka.Apps.App;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing by group over a real Eureka server: a gateway in front of
 * {@code front -> visits-service -> vets-service}, where {@code front} is a WebFlux service
 * calling through a {@code @LoadBalanced WebClient}, {@code visits-service} a servlet service
 * calling through Feign or a {@code RestClient}, and {@code visits-service} has no
 * {@code feature-x} instance, so that a {@code feature-x} request falls back there and must
 * still reach {@code vets-service} in {@code feature-x}. Eureka reports every service in upper
 * case; the applications name them in lower case, and call them in both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EurekaRoutingTests {

	private static final String FEATURE_ROUTE = "front@feature-x > visits-service@stable > vets-service@feature-x";

	private static final String STABLE_ROUTE = "front@stable > visits-service@stable > vets-service@stable";

	private EurekaServer eureka;

	private Apps apps;

	private App vets0;

	private App vets1;

	private App visits0;

	private App front0;

	private App front1;

	private App gateway;

	@BeforeAll
	void startEurekaAndTheChain() {
		this.eureka = EurekaServer.start();
		this.apps = new Apps(this.eureka);
		this.vets0 = this.apps.servlet("vets-service", null, null);
		this.vets1 = this.apps.servlet("vets-service", "feature-x", null);
		// Eureka reports VETS-SERVICE; the fail-fast list names it as the application does.
		this.visits0 = this.apps.servlet("visits-service", null, "vets-service", "isolation.fail-fast=vets-service");
		this.front0 = this.apps.reactive("front", null, "visits-service");
		this.front1 = this.apps.reactive("front", "feature-x", "visits-service");
		String routes = "spring.cloud.gateway.server.webflux.";
		this.gateway = this.apps.gateway(routes + "discovery.locator.enabled=true",
				routes + "discovery.locator.lower-case-service-id=true", routes + "routes[0].id=upper",
				routes + "routes[0].uri=lb://FRONT", routes + "routes[0].predicates[0]=Path=/upper/**",
				routes + "routes[0].filters[0]=StripPrefix=1");
		Apps.awaitDiscovered(this.visits0, "vets-service", this.vets0, this.vets1);
		Apps.awaitDiscovered(this.front0, "visits-service", this.visits0);
		Apps.awaitDiscovered(this.front1, "visits-service", this.visits0);
		Apps.awaitDiscovered(this.gateway, "front", this.front0, this.front1);
		// The discovery locator builds its routes from Eureka's list on the client's next refresh.
		await("the gateway's discovery locator to route /front/**").atMost(Apps.EUREKA_CATCH_UP)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.apps.get(this.gateway, "/front/hop").statusCode() == 200);
	}

	@AfterAll
	void stop() {
		if (this.apps != null) {
			this.apps.close();
		}
		if (this.eureka != null) {
			this.eureka.close();
		}
	}

	@Test
	void shouldPublishEachInstancesGroupInItsEurekaMetadata() {
		assertThat(groupsByInstance("front")).containsExactlyInAnyOrderEntriesOf(
				Map.of(this.front0.instanceId(), "(none)", this.front1.instanceId(), "feature-x"));
		assertThat(groupsByInstance("vets-service")).containsExactlyInAnyOrderEntriesOf(
				Map.of(this.vets0.instanceId(), "(none)", this.vets1.instanceId(), "feature-x"));
		assertThat(groupsByInstance("visits-service"))
			.containsExactlyInAnyOrderEntriesOf(Map.of(this.visits0.instanceId(), "(none)"));
		assertThat(this.eureka.instances("visits-service")).extracting(InstanceInfo::getAppName)
			.containsExactly("VISITS-SERVICE");
	}

	@ParameterizedTest
	@ValueSource(strings = { "feign", "restclient" })
	void shouldRouteUntaggedRequestsToStableInstancesOnly(String via) {
		// More calls than instances: round robin would reach every instance it was given.
		for (int i = 0; i < 4; i++) {
			assertRoute(this.apps.get(this.gateway, "/front/hop?via=" + via), STABLE_ROUTE);
		}
	}

	@ParameterizedTest
	@CsvSource({ "feign, isolation-group, feature-x", "restclient, isolation-group, feature-x",
			"feign, baggage, isolation-group=feature-x", "restclient, baggage, isolation-group=feature-x" })
	void shouldKeepTheGroupThroughTheFallbackHop(String via, String header, String value) {
		for (int i = 0; i < 2; i++) {
			assertRoute(this.apps.get(this.gateway, "/front/hop?via=" + via, header, value), FEATURE_ROUTE);
		}
	}

	@Test
	void shouldRouteARouteThatNamesTheServiceInUpperCase() {
		assertRoute(this.apps.get(this.gateway, "/upper/hop?via=feign", "isolation-group", "feature-x"),
				FEATURE_ROUTE);
		assertRoute(this.apps.get(this.gateway, "/upper/hop?via=restclient"), STABLE_ROUTE);
	}

	@Test
	void shouldColourUntaggedRequestsWithTheGroupOfTheInstanceTheyEnter() {
		assertRoute(this.apps.get(this.front1, "/hop?via=feign"), FEATURE_ROUTE);
		// An explicit tag wins over the entry instance's group.
		assertRoute(this.apps.get(this.front1, "/hop?via=restclient", "isolation-group", "stable"),
				"front@feature-x > visits-service@stable > vets-service@stable");
	}

	@ParameterizedTest
	@ValueSource(strings = { "visits-service", "VISITS-SERVICE" })
	void shouldRefuseAServiceInTheRequestsFailFastListInAnyCase(String failFast) {
		HttpResponse<String> response = this.apps.get(this.gateway, "/front/hop?via=feign", "isolation-group",
				"feature-x", "isolation-fail-fast", failFast);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
		assertThat(response.body()).startsWith("front@feature-x failed: ")
			.containsIgnoringCase("No instance of 'visits-service' in isolation group 'feature-x'");
		assertThat(this.visits0.context().isRunning()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "feign", "restclient" })
	void shouldRefuseAServiceInTheCallersLowerCaseFailFastProperty(String via) {
		HttpResponse<String> response = this.apps.get(this.gateway, "/front/hop?via=" + via, "isolation-group",
				"feature-y");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
		assertThat(response.body()).startsWith("front@stable failed: visits-service@stable failed: ")
			.containsIgnoringCase("No instance of 'vets-service' in isolation group 'feature-y'");
	}

	@Test
	void shouldShowTheCalleesInstancesByGroupInTheCallersIsolationEndpoint() {
		assertRoute(this.apps.get(this.gateway, "/front/hop?via=feign", "isolation-group", "feature-x"),
				FEATURE_ROUTE);
		HttpResponse<String> endpoint = this.apps.get(this.visits0, "/actuator/isolation");
		assertThat(endpoint.statusCode()).isEqualTo(200);
		assertThat(endpoint.body()).contains("\"feature-x\":[\"127.0.0.1:" + this.vets1.port() + "\"]")
			.contains("\"stable\":[\"127.0.0.1:" + this.vets0.port() + "\"]");
	}

	private Map<String, String> groupsByInstance(String service) {
		return this.eureka.instances(service)
			.stream()
			.collect(Collectors.toMap(InstanceInfo::getInstanceId,
					(instance) -> instance.getMetadata().getOrDefault("isolation-group", "(none)")));
	}

	private static void assertRoute(HttpResponse<String> response, String route) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(route);
	}

}
