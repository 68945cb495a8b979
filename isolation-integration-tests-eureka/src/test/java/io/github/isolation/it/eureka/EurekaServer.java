package io.github.isolation.it.eureka;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.netflix.appinfo.InstanceInfo;
import com.netflix.discovery.converters.jackson.EurekaJsonJacksonCodec;
import com.netflix.discovery.shared.Application;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Eureka server in its own application context, on a port the server binds (port 0,
 * read back), with its caches shortened so that a test sees a change within a second or two
 * instead of half a minute. What it reports is read over its REST API, as every Eureka client
 * reads it.
 */
final class EurekaServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final EurekaJsonJacksonCodec codec = new EurekaJsonJacksonCodec();

	private EurekaServer(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	/** @return a started server */
	static EurekaServer start() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", "eureka");
		properties.put("spring.main.web-application-type", "servlet");
		properties.put("spring.main.banner-mode", "off");
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		properties.put("logging.level.root", "warn");
		// A standalone server: it neither registers nor fetches, and its only peer URL names its own
		// host, which Eureka leaves out of replication.
		properties.put("eureka.instance.hostname", "localhost");
		properties.put("eureka.client.register-with-eureka", "false");
		properties.put("eureka.client.fetch-registry", "false");
		properties.put("eureka.client.service-url.defaultZone", "http://localhost:0/eureka/");
		// The server's own delays (see docs/adopting.md): a registry read straight from the
		// read-write cache, which registrations and cancellations invalidate; expired leases evicted
		// every half second; no self-preservation, which would keep expired leases.
		properties.put("eureka.server.use-read-only-response-cache", "false");
		properties.put("eureka.server.response-cache-update-interval-ms", "500");
		properties.put("eureka.server.eviction-interval-timer-in-ms", "500");
		properties.put("eureka.server.enable-self-preservation", "false");
		properties.put("eureka.server.wait-time-in-ms-when-sync-empty", "0");
		properties.put("eureka.server.registry-sync-retries", "0");
		properties.put("spring.freemarker.check-template-location", "false");
		properties.put("spring.cloud.gateway.server.webflux.enabled", "false");
		// A plain Eureka server: the library is on this module's class path for the clients only.
		properties.put("isolation.enabled", "false");
		return new EurekaServer(new SpringApplicationBuilder(EurekaServerApp.class).properties(properties).run());
	}

	/** @return the URL clients register at, {@code eureka.client.service-url.defaultZone} */
	String serviceUrl() {
		return "http://127.0.0.1:" + this.port + "/eureka/";
	}

	/**
	 * The instances of an application as the server reports them, whatever their status.
	 * @param service the service id, in any case
	 * @return its instances, none if the server does not know it
	 */
	List<InstanceInfo> instances(String service) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(serviceUrl() + "apps/" + service.toUpperCase(Locale.ROOT)))
			.header("Accept", "application/json")
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 404) {
				return List.of();
			}
			if (response.statusCode() != 200) {
				throw new IllegalStateException("Eureka answered " + response.statusCode() + ": " + response.body());
			}
			Application application = this.codec.getObjectMapper(Application.class)
				.readValue(response.body(), Application.class);
			return application.getInstances();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read " + request.uri(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/**
	 * One instance as the server reports it.
	 * @param service the service id, in any case
	 * @param instanceId its {@code eureka.instance.instance-id}
	 * @return the instance
	 */
	InstanceInfo instance(String service, String instanceId) {
		return instances(service).stream()
			.filter((instance) -> instance.getInstanceId().equals(instanceId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("Eureka does not list " + instanceId + " of " + service));
	}

	@Override
	public void close() {
		this.context.close();
	}

}
