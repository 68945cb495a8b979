package io.github.isolation.it.eureka;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.netflix.appinfo.ApplicationInfoManager;
import com.netflix.appinfo.InstanceInfo;
import com.netflix.appinfo.InstanceInfo.InstanceStatus;
import com.netflix.discovery.EurekaClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.github.isolation.it.eureka.Apps.App;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code feature-x} instance whose listing in Eureka lags behind what it does: registered but
 * not yet listed, taken out of service while it runs, and stopped while Eureka still lists it.
 * The caller {@code visits-service} and the instances bind in a real ZooKeeper. Each case prints
 * how long the change took to reach the caller with the shortened delays of {@link Apps}; the
 * defaults are in docs/adopting.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EurekaListingTests {

	private static final String FEATURE = "visits-service@stable > vets-service@feature-x";

	private static final String FALLBACK = "visits-service@stable > vets-service@stable";

	private TestingServer zookeeper;

	private EurekaServer eureka;

	private CuratorFramework observer;

	private Apps apps;

	private App vets0;

	private App visits0;

	private App vets1;

	@BeforeAll
	void start() throws Exception {
		this.zookeeper = new TestingServer();
		this.eureka = EurekaServer.start();
		this.observer = CuratorFrameworkFactory.newClient(this.zookeeper.getConnectString(), new RetryOneTime(100));
		this.observer.start();
		this.apps = new Apps(this.eureka).with("isolation.zookeeper.connect-string=" + this.zookeeper.getConnectString());
		this.vets0 = this.apps.servlet("vets-service", null, null);
		this.visits0 = this.apps.servlet("visits-service", null, "vets-service");
		Apps.awaitDiscovered(this.visits0, "vets-service", this.vets0);
	}

	@AfterEach
	void stopTheFeatureInstance() {
		if (this.vets1 != null && this.vets1.context().isActive()) {
			this.apps.stop(this.vets1);
		}
		this.vets1 = null;
		Apps.awaitDiscovered(this.visits0, "vets-service", this.vets0);
	}

	@AfterAll
	void stop() throws Exception {
		if (this.apps != null) {
			this.apps.close();
		}
		if (this.observer != null) {
			this.observer.close();
		}
		if (this.eureka != null) {
			this.eureka.close();
		}
		if (this.zookeeper != null) {
			this.zookeeper.close();
		}
	}

	@Test
	void shouldFallBackUntilEurekaListsTheFeatureInstanceAndThenRouteToIt() {
		// given: registered, bound in ZooKeeper, but STARTING, which Eureka's clients leave out
		this.vets1 = this.apps.servlet("vets-service", "feature-x", null, "eureka.instance.initial-status=STARTING");
		await("Eureka to list the instance as STARTING").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.eureka.instances("vets-service")
				.stream()
				.filter((instance) -> instance.getInstanceId().equals(this.vets1.instanceId()))
				.map(InstanceInfo::getStatus)
				.toList(), (statuses) -> statuses.equals(List.of(InstanceStatus.STARTING)));
		awaitSelfBinding(this.vets1);

		// then: feature-x falls back to stable, and a fail-fast request is refused
		assertRoute(call("feature-x"), FALLBACK);
		assertRoute(call("feature-x"), FALLBACK);
		HttpResponse<String> refused = this.apps.get(this.visits0, "/hop?via=feign", "isolation-group", "feature-x",
				"isolation-fail-fast", "vets-service");
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(502);
		assertThat(refused.body()).contains("No instance of 'vets-service' in isolation group 'feature-x'");

		// when: the instance says it is UP, as an application does when its warm-up is done
		long start = System.nanoTime();
		this.vets1.context().getBean(ApplicationInfoManager.class).setInstanceStatus(InstanceStatus.UP);

		// then: its group's calls reach it once the caller's Eureka client and load balancer list it,
		// falling back to stable until then and never failing
		await("feature-x calls to reach the feature instance").atMost(Apps.EUREKA_CATCH_UP)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				HttpResponse<String> response = call("feature-x");
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				assertThat(response.body()).isIn(FALLBACK, FEATURE);
				return response.body().equals(FEATURE);
			});
		report("a feature instance that turned UP", start);
		assertRoute(call("feature-x"), FEATURE);
		assertRoute(call(null), FALLBACK);
	}

	@Test
	void shouldKeepCallingAFeatureInstanceThatEurekaTakesOutOfServiceWhileItRuns() {
		// given: listed, and routed to
		this.vets1 = this.apps.servlet("vets-service", "feature-x", null);
		Apps.awaitDiscovered(this.visits0, "vets-service", this.vets0, this.vets1);
		awaitSelfBinding(this.vets1);
		awaitRoute("feature-x", FEATURE);

		// when: an operator takes it out of service in Eureka (the service registry endpoint)
		HttpResponse<String> outOfService = this.apps.post(this.vets1, "/actuator/serviceregistry",
				"{\"status\":\"OUT_OF_SERVICE\"}");
		assertThat(outOfService.statusCode()).as(outOfService.body()).isEqualTo(200);
		Apps.awaitDiscovered(this.visits0, "vets-service", this.vets0);
		String port = ":" + this.vets1.port();
		await("the caller's load balancer to leave the feature instance out").atMost(Apps.EUREKA_CATCH_UP)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.apps.get(this.visits0, "/actuator/isolation").body(), (body) -> !body.contains(port));

		// then: it runs and its binding says so, so feature-x calls keep going to it (HELD)
		assertRoute(call("feature-x"), FEATURE);
		assertRoute(call("feature-x"), FEATURE);
		assertThat(this.apps.get(this.visits0, "/actuator/isolation").body()).contains("\"outcome\":\"HELD\"");
		assertRoute(call(null), FALLBACK);
	}

	@Test
	void shouldFailFeatureCallsToAStoppedInstanceWhileEurekaStillListsItAndThenFallBack() throws Exception {
		// given
		this.vets1 = this.apps.servlet("vets-service", "feature-x", null,
				"eureka.client.should-unregister-on-shutdown=false");
		Apps.awaitDiscovered(this.visits0, "vets-service", this.vets0, this.vets1);
		awaitSelfBinding(this.vets1);
		awaitRoute("feature-x", FEATURE);

		// when: it dies without a word to Eureka, as a killed process does: its Eureka client goes
		// first, without cancelling the registration, so that the shutdown cannot report DOWN
		long start = System.nanoTime();
		this.vets1.context().getBean(EurekaClient.class).shutdown();
		this.apps.stop(this.vets1);

		// then: its binding is gone at once, but Eureka lists it UP until its lease expires, with
		// its isolation-group metadata, so feature-x calls still go to it and fail
		assertThat(this.eureka.instance("vets-service", this.vets1.instanceId()).getStatus())
			.isEqualTo(InstanceStatus.UP);
		assertThat(bindingsOfVetsService()).isEmpty();
		assertRefusedConnection(call("feature-x"));
		assertRoute(call(null), FALLBACK);
		awaitFallback(start, "a stopped feature instance Eureka was not told about");
	}

	@Test
	void shouldFallBackOnceTheCallersNoLongerListAFeatureInstanceThatStopped() {
		// given
		this.vets1 = this.apps.servlet("vets-service", "feature-x", null);
		Apps.awaitDiscovered(this.visits0, "vets-service", this.vets0, this.vets1);
		awaitSelfBinding(this.vets1);
		awaitRoute("feature-x", FEATURE);

		// when: it stops and cancels its registration
		long start = System.nanoTime();
		this.apps.stop(this.vets1);

		// then: until the caller's Eureka client and load balancer drop it, feature-x calls may
		// still go to it and fail; after that they fall back to stable
		awaitFallback(start, "a stopped feature instance that cancelled its registration");
	}

	private void awaitFallback(long start, String what) {
		await("feature-x calls to fall back to stable").atMost(Apps.EUREKA_CATCH_UP)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				HttpResponse<String> response = call("feature-x");
				if (response.statusCode() == 200) {
					assertThat(response.body()).isEqualTo(FALLBACK);
					return true;
				}
				assertRefusedConnection(response);
				return false;
			});
		report(what, start);
		assertRoute(call("feature-x"), FALLBACK);
	}

	private HttpResponse<String> call(String group) {
		return (group != null) ? this.apps.get(this.visits0, "/hop?via=restclient", "isolation-group", group)
				: this.apps.get(this.visits0, "/hop?via=restclient");
	}

	private void awaitRoute(String group, String route) {
		await("a " + group + " call to go " + route).atMost(Apps.EUREKA_CATCH_UP)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> call(group).body(), route::equals);
	}

	private void awaitSelfBinding(App instance) {
		await("the self-binding of " + instance.instanceId()).atMost(Duration.ofSeconds(30))
			.until(() -> bindingsOfVetsService().contains("127.0.0.1:" + instance.port()));
	}

	private List<String> bindingsOfVetsService() throws Exception {
		String path = "/isolation/bindings/vets-service";
		return (this.observer.checkExists().forPath(path) != null) ? this.observer.getChildren().forPath(path)
				: List.of();
	}

	private static void assertRefusedConnection(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
		assertThat(response.body()).startsWith("visits-service@stable failed: ").containsIgnoringCase("refused");
	}

	private static void assertRoute(HttpResponse<String> response, String route) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(route);
	}

	private static void report(String what, long start) {
		System.out.printf("Eureka listing: %s reached the caller after %d ms%n", what,
				Duration.ofNanos(System.nanoTime() - start).toMillis());
	}

}
