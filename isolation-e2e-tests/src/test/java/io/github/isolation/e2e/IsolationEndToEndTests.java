package io.github.isolation.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.ZKPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The example services as separate JVM processes on loopback, registered in a ZooKeeper server
 * run in a container, with the examples' Kafka broker in a JVM of its own: the routes of the
 * demo's requests and of their orders' records, a live rebind through the command-line tool,
 * ZooKeeper stopped and restarted under load, an instance killed.
 *
 * <p>One set of nine instances serves all checks, in this order; each check leaves the
 * bindings as it found them. The instance killed is killed last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IsolationEndToEndTests {

	/**
	 * Set to {@code true} where the suite must run (.ci/run sets it): then it fails, saying why,
	 * where it would skip itself.
	 */
	static final String REQUIRED_VARIABLE = "ISOLATION_CI";

	static final List<String> INSTANCES = List.of("pricing@stable", "inventory@stable", "orders@stable", "web@stable",
			"pricing@feature-pricing", "orders@feature-cart", "pricing@feature-cart", "notifications@stable",
			"notifications@feature-cart");

	/**
	 * Added to every instance's command line.
	 * <ul>
	 * <li>A short ZooKeeper session: a killed instance's ephemeral registration (and binding)
	 * goes within seconds. Longer than the ZooKeeper restart below, so that the instances keep
	 * their sessions through it (the server restores them from its data).</li>
	 * <li>Spring Cloud LoadBalancer's cache on, as it is by default (the examples switch it off
	 * so that a stopped instance leaves at once): during a ZooKeeper outage the callers route on
	 * the instances they last discovered, and the library on the bindings it last saw, so that
	 * calls are answered while ZooKeeper is down. Its 35 s time to live bounds how long a killed
	 * instance is still picked after its session ends.</li>
	 * <li>Curator retries long enough to span the restart: a discovery query that the cache
	 * does not answer waits for the connection and retries instead of failing the call.</li>
	 * </ul>
	 * The system property {@code isolation.e2e.instance-args} (space-separated) replaces them.
	 */
	static final List<String> INSTANCE_ARGS = List.of("--spring.cloud.loadbalancer.cache.enabled=true",
			"--spring.cloud.loadbalancer.cache.ttl=35s", "--spring.cloud.zookeeper.session-timeout=10s",
			"--spring.cloud.zookeeper.connection-timeout=10s", "--spring.cloud.zookeeper.max-retries=29",
			"--spring.cloud.zookeeper.max-sleep-ms=1000");

	/** Where Spring Cloud ZooKeeper registers the instances (its default root). */
	static final String REGISTRATIONS = "/services";

	static final String ALL_STABLE = "web@stable > orders@stable > inventory@stable > pricing@stable";

	static final String FEATURE_PRICING = "web@stable > orders@stable > inventory@stable > pricing@feature-pricing";

	static final String FEATURE_CART = "web@stable > orders@feature-cart > inventory@stable > pricing@feature-cart";

	static final String WEB_IN_FEATURE_CART = "web@feature-cart > orders@feature-cart > inventory@stable > pricing@feature-cart";

	static final String FAIL_FAST = "web@stable > orders@feature-cart > failed: No instance of 'inventory' in isolation group "
			+ "'feature-cart' and 'inventory' is fail-fast";

	/** How long a change may take to reach every caller: ZooKeeper watches, or a session timeout. */
	static final Duration SETTLE = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private ZooKeeperServer zookeeper;

	private Processes processes;

	private long began;

	@BeforeAll
	void start() {
		this.began = System.nanoTime();
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			skipOrFail("Docker is not available (.ci/zookeeper-image.sh, as root, installs and starts it)");
		}
		String image = ZooKeeperServer.configuredImage();
		if (!ZooKeeperServer.isPresentLocally(image)) {
			skipOrFail("ZooKeeper image " + image + " is not present locally (build one with .ci/zookeeper-image.sh, "
					+ "or docker pull it)");
		}
		Processes.requireJars();
		this.zookeeper = ZooKeeperServer.start(image);
		log("ZooKeeper %s on %s", this.zookeeper.image(), this.zookeeper.connectString());
		String override = System.getProperty("isolation.e2e.instance-args", "").strip();
		List<String> instanceArgs = override.isEmpty() ? INSTANCE_ARGS : List.of(override.split("\\s+"));
		log("instances run with %s", instanceArgs);
		this.processes = new Processes(this.zookeeper.connectString(), instanceArgs);
		log("Kafka broker in a JVM of its own on %s", this.processes.startKafkaBroker());
		this.processes.startAll(INSTANCES);
		log("%d instances healthy: %s", INSTANCES.size(), INSTANCES);
	}

	@AfterAll
	void stop() {
		try {
			if (this.processes != null) {
				this.processes.close();
			}
		}
		finally {
			if (this.zookeeper != null) {
				this.zookeeper.close();
			}
		}
		if (this.zookeeper != null) {
			log("suite done");
		}
	}

	@Test
	@Order(1)
	void shouldRouteEachGroupThroughItsInstancesAndFallBackToStable() {
		awaitRoute(Request.untagged(), ALL_STABLE);
		assertThat(call(Request.untagged())).isEqualTo(Response.ok(ALL_STABLE));
		assertThat(call(Request.header("feature-pricing"))).isEqualTo(Response.ok(FEATURE_PRICING));
		assertThat(call(Request.baggage("feature-cart")))
			.as("feature-cart keeps its tag through the fallback hop inventory@stable")
			.isEqualTo(Response.ok(FEATURE_CART));
		Response failFast = call(Request.header("feature-cart").failFast("inventory"));
		assertThat(failFast.status()).isEqualTo(502);
		assertThat(failFast.body()).startsWith(FAIL_FAST);
	}

	@Test
	@Order(2)
	void shouldProcessEachOrdersRecordInTheGroupOfTheRequestThatPlacedIt() {
		// notifications@feature-cart opened its lane when it joined; once the stable instance stands by
		// in the lane's consumer group, it knows the lane: records of feature-cart go to the lane from then on.
		String standby = "notifications.isolation.feature-cart";
		await("notifications@stable standing by in " + standby).atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> get("notifications@stable", "/actuator/isolation").body().contains(standby));
		Map<Request, String> expected = new java.util.LinkedHashMap<>();
		expected.put(Request.untagged(), "notifications@stable > pricing@stable");
		expected.put(Request.header("feature-pricing"), "notifications@stable > pricing@feature-pricing");
		expected.put(Request.baggage("feature-cart"), "notifications@feature-cart > pricing@feature-cart");
		int n = 0;
		for (Map.Entry<Request, String> entry : expected.entrySet()) {
			String order = "e2e-" + n++ + "-" + System.nanoTime();
			assertThat(call(entry.getKey(), "/?order=" + order).status()).as("%s placing %s", entry.getKey(), order)
				.isEqualTo(200);
			// The answer came after the broker acknowledged the record: it is in the topic.
			await(entry.getKey() + ": the record of " + order).atMost(SETTLE)
				.pollInterval(Duration.ofMillis(200))
				.until(() -> !notified(order).isEmpty());
			assertThat(notified(order)).as("where the record of %s was processed", entry.getKey())
				.containsExactly(entry.getValue());
		}
	}

	@Test
	@Order(3)
	void shouldMoveUntaggedTrafficWhenWebIsReboundLiveWithTheCommandLineTool() throws InterruptedException {
		String web = "127.0.0.1:" + this.processes.get("web@stable").port();
		try {
			Processes.Result bind = this.processes.cli("bind", "web", web, "feature-cart");
			assertThat(bind.exitCode()).as("isolation bind: %s", bind.output()).isZero();
			long bound = awaitRoute(Request.untagged(), WEB_IN_FEATURE_CART);
			log("untagged requests take feature-cart %d ms after the bind", bound);
			assertThat(call(Request.untagged())).isEqualTo(Response.ok(WEB_IN_FEATURE_CART));
		}
		finally {
			Processes.Result unbind = this.processes.cli("unbind", "web", web);
			assertThat(unbind.exitCode()).as("isolation unbind: %s", unbind.output()).isZero();
		}
		long unbound = awaitRoute(Request.untagged(), ALL_STABLE);
		log("untagged requests are stable again %d ms after the unbind", unbound);
		assertThat(call(Request.header("feature-cart"))).isEqualTo(Response.ok(FEATURE_CART));
	}

	@Test
	@Order(4)
	void shouldKeepEveryCallWorkingAndRoutedWhileZooKeeperRestarts() throws Exception {
		awaitRoute(Request.untagged(), ALL_STABLE);
		Map<String, Long> registered = registrations();
		assertThat(registered).as("registrations under %s", REGISTRATIONS).hasSize(INSTANCES.size());
		Caller caller = new Caller(List.of(new Expected(Request.untagged(), ALL_STABLE),
				new Expected(Request.baggage("feature-cart"), FEATURE_CART),
				new Expected(Request.header("feature-pricing"), FEATURE_PRICING)));
		Thread thread = new Thread(caller, "e2e-caller");
		thread.start();
		try {
			await("calls before the outage").atMost(SETTLE).until(() -> caller.answered() >= 10);
			long down = System.nanoTime();
			this.zookeeper.stop();
			int duringOutage;
			try {
				assertThat(this.zookeeper.serving()).as("ZooKeeper stopped").isFalse();
				int beforeOutage = caller.answered();
				// ZooKeeper stays down until calls have been answered without it, for less than the
				// instances' session timeout (10 s), which the outage must not outlast.
				await("calls answered while ZooKeeper is down").atMost(Duration.ofSeconds(8))
					.until(() -> caller.answered() >= beforeOutage + 10);
				duringOutage = caller.answered() - beforeOutage;
				assertThat(this.zookeeper.serving()).as("ZooKeeper still down").isFalse();
			}
			finally {
				this.zookeeper.restart();
			}
			long outage = millisSince(down);
			int afterRestart = caller.answered();
			// Long enough after the restart for every session to be back and a query to have gone through it.
			await("calls after the restart").atMost(Duration.ofSeconds(60))
				.until(() -> caller.answered() >= afterRestart + 30);
			log("ZooKeeper down for %d ms; %d calls answered while it was down, %d calls in all", outage, duringOutage,
					caller.calls.get());
		}
		finally {
			caller.stop.set(true);
			thread.join(Duration.ofSeconds(60).toMillis());
		}
		assertThat(thread.isAlive()).as("the caller thread ended").isFalse();
		caller.rethrow();
		assertThat(caller.failed).as("failed calls").isEmpty();
		assertThat(caller.misrouted).as("misrouted calls").isEmpty();
		assertThat(caller.calls.get()).isGreaterThanOrEqualTo(50);
		assertThat(call(Request.untagged())).isEqualTo(Response.ok(ALL_STABLE));
		// Deleted and created again, a registration would show a new creation zxid: for that
		// moment its instance was out of discovery.
		assertThat(registrations()).as("each registration's creation zxid: none was deleted and created again")
			.isEqualTo(registered);
	}

	@Test
	@Order(5)
	void shouldFallBackToStablePricingWhenTheFeaturePricingInstanceIsKilled() throws InterruptedException {
		awaitRoute(Request.header("feature-pricing"), FEATURE_PRICING);
		this.processes.kill("pricing@feature-pricing");
		// Its registration stays until ZooKeeper expires its session (10 s), and its callers pick it
		// from their load balancer's cache for up to 35 s more: calls meanwhile may fail.
		long converged = awaitRoute(Request.header("feature-pricing"), ALL_STABLE, Duration.ofSeconds(90));
		log("feature-pricing requests fall back to pricing@stable %d ms after the kill", converged);
		List<Response> after = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			after.add(call((i % 2 == 0) ? Request.header("feature-pricing") : Request.baggage("feature-pricing")));
		}
		assertThat(after).as("calls after convergence").containsOnly(Response.ok(ALL_STABLE));
		assertThat(call(Request.baggage("feature-cart"))).isEqualTo(Response.ok(FEATURE_CART));
	}

	/** Skips the suite, saying why in one line; fails it instead where it must run. */
	private static void skipOrFail(String reason) {
		if (Boolean.parseBoolean(System.getenv(REQUIRED_VARIABLE))) {
			fail(reason + ": the end-to-end suite cannot run, and " + REQUIRED_VARIABLE + "=true requires it");
		}
		String skipped = reason + ": the end-to-end suite is skipped";
		System.out.println(skipped);
		Assumptions.abort(skipped);
	}

	/** Every instance's registration node, with the zxid that created it. */
	private Map<String, Long> registrations() throws Exception {
		try (CuratorFramework client = CuratorFrameworkFactory.newClient(this.zookeeper.connectString(),
				new RetryNTimes(10, 500))) {
			client.start();
			Map<String, Long> created = new TreeMap<>();
			for (String service : client.getChildren().forPath(REGISTRATIONS)) {
				String servicePath = ZKPaths.makePath(REGISTRATIONS, service);
				for (String instance : client.getChildren().forPath(servicePath)) {
					String path = ZKPaths.makePath(servicePath, instance);
					created.put(path, client.checkExists().forPath(path).getCzxid());
				}
			}
			return created;
		}
	}

	/** Waits until the request takes the route; returns how long that took, in ms. */
	private long awaitRoute(Request request, String route) {
		return awaitRoute(request, route, SETTLE);
	}

	private long awaitRoute(Request request, String route, Duration timeout) {
		long start = System.nanoTime();
		await(request + " to take " + route).atMost(timeout)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(call(request)).isEqualTo(Response.ok(route)));
		return millisSince(start);
	}

	private Response call(Request request) {
		return call(request, "/");
	}

	private Response call(Request request, String path) {
		HttpRequest.Builder builder = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.processes.get("web@stable").port() + path))
			.timeout(Duration.ofSeconds(30));
		for (int i = 0; i < request.headers().size(); i += 2) {
			builder.header(request.headers().get(i), request.headers().get(i + 1));
		}
		return send(builder.build());
	}

	/** Where the notifications instances processed an order's record, one route per processing. */
	private List<String> notified(String order) {
		List<String> routes = new ArrayList<>();
		for (String instance : List.of("notifications@stable", "notifications@feature-cart")) {
			Response response = get(instance, "/notified?order=" + order);
			assertThat(response.status()).as("%s: %s", instance, response.body()).isEqualTo(200);
			response.body().lines().filter((line) -> !line.isBlank()).forEach(routes::add);
		}
		return routes;
	}

	private Response get(String instance, String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.processes.get(instance).port() + path))
			.timeout(Duration.ofSeconds(10))
			.build());
	}

	private Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body().strip());
		}
		catch (IOException ex) {
			return new Response(0, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Response(0, "interrupted");
		}
	}

	private void log(String format, Object... args) {
		System.out.printf("[e2e %5.1f s] %s%n", (System.nanoTime() - this.began) / 1e9, String.format(format, args));
	}

	private static long millisSince(long startNanos) {
		return (System.nanoTime() - startNanos) / 1_000_000;
	}

	/** A request to web: header names and values, alternating. */
	record Request(String text, List<String> headers) {

		static Request untagged() {
			return new Request("an untagged request", List.of());
		}

		static Request header(String group) {
			return new Request("a " + group + " request (header)", List.of("isolation-group", group));
		}

		static Request baggage(String group) {
			return new Request("a " + group + " request (baggage)", List.of("baggage", "isolation-group=" + group));
		}

		Request failFast(String service) {
			List<String> more = new ArrayList<>(this.headers);
			more.addAll(List.of("isolation-fail-fast", service));
			return new Request(this.text + ", " + service + " fail-fast", more);
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

	/** What web answered: status (0 when the call itself failed) and body. */
	record Response(int status, String body) {

		static Response ok(String route) {
			return new Response(200, route);
		}

	}

	record Expected(Request request, String route) {
	}

	/**
	 * Keeps calling web, in turn with each request, until told to stop: a bounded loop. Should
	 * it throw, {@link #rethrow()} fails the test with that exception.
	 */
	private final class Caller implements Runnable {

		private static final int MAX_CALLS = 5000;

		final AtomicBoolean stop = new AtomicBoolean();

		final AtomicInteger calls = new AtomicInteger();

		final AtomicInteger ok = new AtomicInteger();

		final List<String> failed = Collections.synchronizedList(new ArrayList<>());

		final List<String> misrouted = Collections.synchronizedList(new ArrayList<>());

		private final AtomicReference<RuntimeException> thrown = new AtomicReference<>();

		private final List<Expected> expected;

		Caller(List<Expected> expected) {
			this.expected = expected;
		}

		@Override
		public void run() {
			try {
				for (int i = 0; i < MAX_CALLS && !this.stop.get(); i++) {
					Expected next = this.expected.get(i % this.expected.size());
					Response response = call(next.request());
					if (response.status() != 200) {
						this.failed.add(next.request() + ": " + response);
					}
					else if (!response.body().equals(next.route())) {
						this.misrouted.add(next.request() + ": " + response.body());
					}
					else {
						this.ok.incrementAndGet();
					}
					this.calls.incrementAndGet();
				}
			}
			catch (RuntimeException ex) {
				this.thrown.set(ex);
			}
		}

		/** @return how many calls were answered with the expected route so far */
		int answered() {
			rethrow();
			return this.ok.get();
		}

		void rethrow() {
			RuntimeException ex = this.thrown.getAndSet(null);
			if (ex != null) {
				throw ex;
			}
		}

	}

}
