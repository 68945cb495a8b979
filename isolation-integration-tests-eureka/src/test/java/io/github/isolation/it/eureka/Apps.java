package io.github.isolation.it.eureka;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Real Spring Boot applications on loopback ports, each registering with a real
 * {@link EurekaServer} and discovering the others through it, with Eureka's and the load
 * balancer's delays shortened by properties (see docs/adopting.md for the defaults).
 *
 * <p>Every instance registers as {@code localhost} with the IP address {@code 127.0.0.1}, and
 * with {@code eureka.instance.prefer-ip-address=true} unless a test says otherwise, so that
 * Eureka reports an address that is reachable on loopback either way.
 */
final class Apps implements AutoCloseable {

	/** How long a test waits for Eureka and the caches to catch up; they take a second or two here. */
	static final Duration EUREKA_CATCH_UP = Duration.ofSeconds(45);

	private static final AtomicInteger ids = new AtomicInteger();

	/** A running application. */
	record App(String service, String group, String instanceId, int port, ConfigurableApplicationContext context) {

		/** @return the application's base URI on loopback */
		URI uri() {
			return URI.create("http://127.0.0.1:" + this.port);
		}

	}

	private final EurekaServer eureka;

	private final Map<String, Object> common = new LinkedHashMap<>();

	private final List<App> apps = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	Apps(EurekaServer eureka) {
		this.eureka = eureka;
	}

	/**
	 * Sets properties for every application started from now on.
	 * @param pairs {@code name=value} pairs
	 * @return these applications
	 */
	Apps with(String... pairs) {
		putAll(this.common, pairs);
		return this;
	}

	/**
	 * Starts a servlet instance ({@link HopApp}) of a service.
	 * @param service the service id
	 * @param group the instance's {@code isolation.group}, or {@code null} to leave it unset
	 * @param next the service it calls, or {@code null} for the last one
	 * @param extra further properties, as {@code name=value}
	 * @return the instance
	 */
	App servlet(String service, String group, String next, String... extra) {
		Map<String, Object> properties = client(service, group, next);
		properties.put("spring.main.web-application-type", "servlet");
		properties.put("spring.cloud.gateway.server.webflux.enabled", "false");
		return start(HopApp.class, service, group, properties, extra);
	}

	/**
	 * Starts a WebFlux instance ({@link ReactiveHopApp}) of a service.
	 * @param service the service id
	 * @param group the instance's {@code isolation.group}, or {@code null} to leave it unset
	 * @param next the service it calls, or {@code null} for the last one
	 * @param extra further properties, as {@code name=value}
	 * @return the instance
	 */
	App reactive(String service, String group, String next, String... extra) {
		Map<String, Object> properties = client(service, group, next);
		properties.put("spring.main.web-application-type", "reactive");
		properties.put("spring.cloud.gateway.server.webflux.enabled", "false");
		return start(ReactiveHopApp.class, service, group, properties, extra);
	}

	/**
	 * Starts a Spring Cloud Gateway (server WebFlux) registered as {@code gateway}.
	 * @param extra its routes and further properties, as {@code name=value}
	 * @return the gateway
	 */
	App gateway(String... extra) {
		Map<String, Object> properties = client("gateway", null, null);
		properties.put("spring.main.web-application-type", "reactive");
		return start(GatewayApp.class, "gateway", null, properties, extra);
	}

	private Map<String, Object> client(String service, String group, String next) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", service);
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "warn");
		properties.put("logging.level.org.springframework.cloud.loadbalancer.config", "error");
		properties.put("spring.freemarker.check-template-location", "false");
		properties.put("management.tracing.sampling.probability", "1.0");
		properties.put("management.endpoints.web.exposure.include", "health,isolation,serviceregistry");
		properties.put("eureka.client.service-url.defaultZone", this.eureka.serviceUrl());
		// Eureka's client delays (defaults: 30 s between fetches, 40 s before the first replication).
		properties.put("eureka.client.registry-fetch-interval-seconds", "1");
		properties.put("eureka.client.initial-instance-info-replication-interval-seconds", "1");
		properties.put("eureka.client.instance-info-replication-interval-seconds", "1");
		// The server's Jersey client is on this module's class path; clients talk to Eureka the way
		// an application without the server does, through a RestClient.
		properties.put("eureka.client.jersey.enabled", "false");
		properties.put("eureka.instance.lease-renewal-interval-in-seconds", "1");
		properties.put("eureka.instance.lease-expiration-duration-in-seconds", "5");
		properties.put("eureka.instance.hostname", "localhost");
		properties.put("eureka.instance.ip-address", "127.0.0.1");
		properties.put("eureka.instance.prefer-ip-address", "true");
		// The default id holds server.port, which is 0 for every instance here.
		properties.put("eureka.instance.instance-id", service + ":" + ids.incrementAndGet());
		// The load balancer's cache (default 35 s).
		properties.put("spring.cloud.loadbalancer.cache.ttl", "1s");
		properties.putAll(this.common);
		if (group != null) {
			properties.put("isolation.group", group);
		}
		if (next != null) {
			properties.put("hop.next", next);
		}
		return properties;
	}

	private App start(Class<?> application, String service, String group, Map<String, Object> properties,
			String... extra) {
		putAll(properties, extra);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).properties(properties).run();
		int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		App app = new App(service, group, (String) properties.get("eureka.instance.instance-id"), port, context);
		this.apps.add(app);
		return app;
	}

	/**
	 * Waits until an application's discovery client lists exactly these instances of a service,
	 * as Eureka reports them to it.
	 * @param caller the application
	 * @param service the service id
	 * @param instances the instances it should list
	 */
	static void awaitDiscovered(App caller, String service, App... instances) {
		List<Integer> expected = Arrays.stream(instances).map(App::port).sorted().toList();
		DiscoveryClient discovery = caller.context().getBean(DiscoveryClient.class);
		await("the discovery client of " + caller.instanceId() + " to list " + expected + " for " + service)
			.atMost(EUREKA_CATCH_UP)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> discovery.getInstances(service).stream().map(ServiceInstance::getPort).sorted().toList(),
					expected::equals);
	}

	/**
	 * Stops an application: its context closes as on a normal shutdown.
	 * @param app the application
	 */
	void stop(App app) {
		app.context().close();
		this.apps.remove(app);
	}

	/**
	 * Sends a {@code GET} to an application.
	 * @param app the application
	 * @param path the path and query
	 * @param headers header names and values, alternating
	 * @return the response
	 */
	HttpResponse<String> get(App app, String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(app.uri().resolve(path)).timeout(Duration.ofSeconds(30));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request.build());
	}

	/**
	 * Sends a {@code POST} with a JSON body to an application.
	 * @param app the application
	 * @param path the path
	 * @param json the body
	 * @return the response
	 */
	HttpResponse<String> post(App app, String path, String json) {
		return send(HttpRequest.newBuilder(app.uri().resolve(path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Call to " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private static void putAll(Map<String, Object> properties, String... pairs) {
		for (String pair : pairs) {
			int eq = pair.indexOf('=');
			properties.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
	}

	@Override
	public void close() {
		for (int i = this.apps.size() - 1; i >= 0; i--) {
			this.apps.get(i).context().close();
		}
		this.apps.clear();
	}

}
