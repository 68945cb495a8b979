package io.github.isolation.it.observation;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainClient;
import io.github.isolation.testsupport.Bridge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a developer sees of routing, over real HTTP with a real ZooKeeper: meters, the
 * {@code isolation} actuator endpoint, the group in log lines, the health of the registry and
 * the route header. {@code c1} binds itself to {@code feature-x}; {@code a} and {@code b}
 * expose the endpoint and answer with the route header, {@code quiet} does neither.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTests {

	private static final String[] OBSERVABLE = { "management.endpoints.web.exposure.include=isolation,health",
			"management.endpoint.health.show-details=always", "isolation.debug.route-header=true" };

	private final TestingServer zookeeper;

	private final Chain chain;

	private final Instance c0;

	private final Instance b;

	private final Instance a;

	private final Instance quiet;

	ObservabilityTests() throws Exception {
		this.zookeeper = new TestingServer();
		this.chain = new Chain(Bridge.BRAVE, true)
			.with("isolation.zookeeper.connect-string=" + this.zookeeper.getConnectString());
		this.c0 = this.chain.start("c", null, null, append(OBSERVABLE, "isolation.debug.endpoint-writes=true"));
		this.chain.start("c", "feature-x", null, OBSERVABLE);
		this.b = this.chain.start("b", null, "c", OBSERVABLE);
		this.a = this.chain.start("a", null, "b", append(OBSERVABLE, "isolation.metrics.max-groups=2"));
		this.quiet = this.chain.start("a", null, "b");
		// The first call creates every hop's load-balancer client: generous, for a loaded machine.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.chain.call(this.a, ChainClient.FEIGN, "isolation-group", "feature-x"))
				.isEqualTo(new Reply(200, "a@stable > b@stable > c@feature-x")));
	}

	@AfterAll
	void stop() throws Exception {
		this.chain.close();
		this.zookeeper.close();
	}

	@Test
	void shouldCountDecisionsByServiceOutcomeAndGroup() {
		double ownGroupBefore = count(this.b, "isolation.routing.decisions", "service", "c", "outcome", "own_group",
				"group", "feature-x");
		double fallbackBefore = count(this.a, "isolation.routing.decisions", "service", "b", "outcome", "fallback",
				"group", "feature-x");
		double stableBefore = count(this.b, "isolation.routing.decisions", "service", "c", "outcome", "stable", "group",
				"stable");
		double failFastBefore = count(this.b, "isolation.routing.decisions", "service", "c", "outcome", "fail_fast",
				"group", "feature-y");

		assertThat(this.chain.call(this.a, ChainClient.RESTTEMPLATE, "isolation-group", "feature-x"))
			.isEqualTo(new Reply(200, "a@stable > b@stable > c@feature-x"));
		assertThat(this.chain.call(this.a, ChainClient.RESTTEMPLATE))
			.isEqualTo(new Reply(200, "a@stable > b@stable > c@stable"));
		assertThat(this.chain.call(this.a, ChainClient.RESTTEMPLATE, "isolation-group", "feature-y",
				"isolation-fail-fast", "c")
			.status()).isEqualTo(502);

		assertThat(count(this.b, "isolation.routing.decisions", "service", "c", "outcome", "own_group", "group",
				"feature-x")).isEqualTo(ownGroupBefore + 1);
		assertThat(count(this.a, "isolation.routing.decisions", "service", "b", "outcome", "fallback", "group",
				"feature-x")).isEqualTo(fallbackBefore + 1);
		assertThat(count(this.b, "isolation.routing.decisions", "service", "c", "outcome", "stable", "group",
				"stable")).isEqualTo(stableBefore + 1);
		assertThat(count(this.b, "isolation.routing.decisions", "service", "c", "outcome", "fail_fast", "group",
				"feature-y")).isEqualTo(failFastBefore + 1);
	}

	@Test
	void shouldBoundTheGroupsNamedInMeters() {
		for (String group : List.of("g1", "g2", "g3", "g4", "g5")) {
			assertThat(this.chain.call(this.a, ChainClient.RESTTEMPLATE, "isolation-group", group).status())
				.isEqualTo(200);
		}

		assertThat(registry(this.a).find("isolation.routing.decisions").tag("group", "other").counters())
			.isNotEmpty();
		assertThat(registry(this.a).find("isolation.routing.decisions").meters().stream()
			.map((meter) -> meter.getId().getTag("group"))
			.distinct()).hasSizeLessThanOrEqualTo(4); // stable, two named groups, other
	}

	@Test
	void shouldCountDroppedTagsByReason() {
		double before = count(this.a, "isolation.tags.dropped", "field", "isolation-group", "reason",
				"invalid_characters");

		assertThat(this.chain.call(this.a, ChainClient.RESTTEMPLATE, "isolation-group", "Feature X"))
			.isEqualTo(new Reply(200, "a@stable > b@stable > c@stable"));

		assertThat(count(this.a, "isolation.tags.dropped", "field", "isolation-group", "reason",
				"invalid_characters")).isEqualTo(before + 1);
	}

	@Test
	void shouldGaugeTheBindingsAndTheConnectionOfTheView() {
		MeterRegistry registry = registry(this.b);

		assertThat(registry.get("isolation.zookeeper.bindings").tag("group", "feature-x").gauge().value())
			.isEqualTo(1.0);
		assertThat(registry.get("isolation.zookeeper.connected").gauge().value()).isEqualTo(1.0);
		assertThat(registry.get("isolation.zookeeper.view.age").gauge().value()).isZero();
	}

	@Test
	void shouldShowGroupSettingsRegistryServicesAndRecentDecisionsInTheEndpoint() {
		assertThat(this.chain.call(this.a, ChainClient.FEIGN, "isolation-group", "feature-q", "isolation-fail-fast", "c")
			.status()).isEqualTo(502);

		HttpResponse<String> response = this.chain.get(this.b, "/actuator/isolation");

		assertThat(response.statusCode()).isEqualTo(200);
		String json = response.body();
		assertThat((String) JsonPath.read(json, "$.group")).isEqualTo("stable");
		assertThat((String) JsonPath.read(json, "$.groupOrigin")).isEqualTo("default");
		assertThat((Boolean) JsonPath.read(json, "$.settings.enabled")).isTrue();
		assertThat((String) JsonPath.read(json, "$.zookeeper.connection")).isEqualTo("CONNECTED");
		assertThat((Integer) JsonPath.read(json, "$.zookeeper.instanceBindings")).isEqualTo(1);
		assertThat((List<String>) JsonPath.read(json, "$.services.c.stable"))
			.containsExactly("127.0.0.1:" + this.c0.port());
		assertThat((List<String>) JsonPath.read(json, "$.services.c.feature-x")).hasSize(1);
		List<Map<String, Object>> failFast = JsonPath.read(json,
				"$.recentDecisions[?(@.outcome == 'FAIL_FAST' && @.group == 'feature-q')]");
		assertThat(failFast).isNotEmpty();
		assertThat((String) failFast.get(0).get("message")).contains("No instance of 'c' in isolation group 'feature-q'");
		assertThat(json).doesNotContain("password");
	}

	@Test
	void shouldBindThisInstanceThroughTheEndpointOnlyWhereWritesAreEnabled() {
		HttpResponse<String> bound = this.chain.send(this.c0, "POST", "/actuator/isolation", "{\"group\":\"feature-w\"}");

		assertThat(bound.statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.chain.call(this.a, ChainClient.FEIGN, "isolation-group", "feature-w"))
				.isEqualTo(new Reply(200, "a@stable > b@stable > c@feature-w")));

		assertThat(this.chain.send(this.c0, "DELETE", "/actuator/isolation", null).statusCode()).isIn(200, 204);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.chain.call(this.a, ChainClient.FEIGN, "isolation-group", "feature-w"))
				.isEqualTo(new Reply(200, "a@stable > b@stable > c@stable")));
		assertThat(this.chain.send(this.b, "POST", "/actuator/isolation", "{\"group\":\"feature-w\"}").statusCode())
			.isEqualTo(405);
	}

	@Test
	void shouldNotServeTheEndpointUnlessExposed() {
		assertThat(this.chain.get(this.quiet, "/actuator/isolation").statusCode()).isEqualTo(404);
	}

	@Test
	void shouldAnswerWithTheRouteHeaderAcrossThreeHopsOnlyWhereEnabled() {
		for (ChainClient via : List.of(ChainClient.FEIGN, ChainClient.PLAIN_RESTTEMPLATE, ChainClient.RESTCLIENT)) {
			HttpResponse<String> response = this.chain.get(this.a, "/hop?via=" + via.via(), "isolation-group",
					"feature-x");

			assertThat(response.statusCode()).as("via %s", via).isEqualTo(200);
			assertThat(response.headers().firstValue("isolation-route")).as("via %s", via)
				.hasValue("a@stable > b@stable > c@feature-x");
		}
		HttpResponse<String> quiet = this.chain.get(this.quiet, "/hop", "isolation-group", "feature-x");
		assertThat(quiet.statusCode()).isEqualTo(200);
		assertThat(quiet.headers().map()).doesNotContainKey("isolation-route");
	}

	@Test
	void shouldPutTheRequestsGroupInItsLogLines(CapturedOutput output) {
		assertThat(this.chain.call(this.a, ChainClient.RESTTEMPLATE, "isolation-group", "feature-x").status())
			.isEqualTo(200);

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut().lines()
			.filter((line) -> line.contains("hop served by b@stable")))
			.anySatisfy((line) -> assertThat(line).contains(",feature-x]")));
	}

	@Test
	void shouldReportTheRegistryHealthDownWhenRequiredAndNeverLoaded() throws Exception {
		assumeTrue(hasRegistryHealth(), "the health indicator is built on Spring Boot 4's health API (docs/boot-lines.md)");
		try (TestingServer neverStarted = new TestingServer(InstanceSpec.getRandomPort(), false)) {
			Instance required = this.chain.start("d", null, null, "isolation.zookeeper.connect-string="
					+ neverStarted.getConnectString(), "isolation.zookeeper.required=true",
					"management.endpoints.web.exposure.include=health", "management.endpoint.health.show-details=always");
			assertThat(health(required, "$.components.isolationZookeeper.status")).isEqualTo("DOWN");
			assertThat(health(required, "$.components.isolationZookeeper.details.view"))
				.isEqualTo("no view of the bindings was ever loaded");
			required.context().close();
		}
	}

	// On both Boot lines: the endpoint and the gauges show the outage; on Boot 4 the health too.
	@Test
	void shouldRouteFromTheLastViewWhileZookeeperIsDownAndReportIt() throws Exception {
		boolean health = hasRegistryHealth();
		MeterRegistry registry = registry(this.b);
		assertThat(endpoint(this.b, "$.zookeeper.connection")).isEqualTo("CONNECTED");
		if (health) {
			assertThat(health(this.b, "$.components.isolationZookeeper.status")).isEqualTo("UP");
		}

		this.zookeeper.stop();
		try {
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(endpoint(this.b, "$.zookeeper.connection")).isIn("SUSPENDED", "LOST");
				assertThat(registry.get("isolation.zookeeper.connected").gauge().value()).isZero();
				if (health) {
					assertThat(health(this.b, "$.components.isolationZookeeper.status")).isEqualTo("UP");
					assertThat(health(this.b, "$.components.isolationZookeeper.details.view"))
						.matches("serving the last view of 1 bindings, \\d+ seconds old");
				}
			});
			assertThat(endpoint(this.b, "$.zookeeper.instanceBindings")).isEqualTo(1);
			for (int i = 0; i < 20; i++) {
				assertThat(this.chain.call(this.a, ChainClient.RESTTEMPLATE, "isolation-group", "feature-x"))
					.isEqualTo(new Reply(200, "a@stable > b@stable > c@feature-x"));
			}
		}
		finally {
			this.zookeeper.restart();
		}

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(endpoint(this.b, "$.zookeeper.connection")).isEqualTo("CONNECTED");
			assertThat(registry.get("isolation.zookeeper.connected").gauge().value()).isEqualTo(1.0);
			if (health) {
				assertThat(health(this.b, "$.components.isolationZookeeper.details.connection")).isEqualTo("CONNECTED");
			}
		});
	}

	private static boolean hasRegistryHealth() {
		return SpringBootVersion.getVersion().startsWith("4.");
	}

	private Object endpoint(Instance instance, String path) {
		HttpResponse<String> response = this.chain.get(instance, "/actuator/isolation");
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonPath.read(response.body(), path);
	}

	private String health(Instance instance, String path) {
		HttpResponse<String> response = this.chain.get(instance, "/actuator/health");
		// A detail that is not there yet reads as null, so that awaiting it retries.
		return JsonPath.using(Configuration.defaultConfiguration().addOptions(Option.SUPPRESS_EXCEPTIONS))
			.parse(response.body())
			.read(path);
	}

	private static MeterRegistry registry(Instance instance) {
		return instance.context().getBean(MeterRegistry.class);
	}

	private static double count(Instance instance, String name, String... tags) {
		var counter = registry(instance).find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String[] append(String[] values, String value) {
		String[] all = java.util.Arrays.copyOf(values, values.length + 1);
		all[values.length] = value;
		return all;
	}

}
