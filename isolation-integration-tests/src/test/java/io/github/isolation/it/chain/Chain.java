package io.github.isolation.it.chain;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.isolation.testsupport.Bridge;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real Spring Boot applications on loopback ports, each discovering the next service's
 * instances through Spring Cloud's {@code SimpleDiscoveryClient} with the
 * {@code isolation-group} metadata entry. Start the last service first.
 */
public final class Chain implements AutoCloseable {

	/** A running instance. */
	public record Instance(String service, String group, int port, ConfigurableApplicationContext context) {

		/** @return how many requests this instance has served */
		public int hits() {
			return this.context.getBean(ChainApp.HopController.class).hits();
		}

		/** @return the instance's base URI on loopback */
		public URI uri() {
			return URI.create("http://127.0.0.1:" + this.port);
		}

	}

	/** A response from the entry of a chain. */
	public record Reply(int status, String body) {
	}

	private final Bridge bridge;

	private final boolean sampled;

	private final List<Instance> instances = new ArrayList<>();

	private final Map<String, Object> common = new LinkedHashMap<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	public Chain(Bridge bridge, boolean sampled) {
		this.bridge = bridge;
		this.sampled = sampled;
	}

	/**
	 * Sets properties for every instance started from now on.
	 * @param pairs {@code name=value} pairs
	 * @return this chain
	 */
	public Chain with(String... pairs) {
		putAll(this.common, pairs);
		return this;
	}

	/** @return the instances started so far */
	public List<Instance> instances() {
		return List.copyOf(this.instances);
	}

	/**
	 * Starts an instance of a service.
	 * @param service the service id
	 * @param group the instance's {@code isolation.group}, or {@code null} to leave it unset
	 * @param next the service it calls, or {@code null} for the last one
	 * @param extra further properties
	 * @return the instance
	 */
	public Instance start(String service, String group, String next, String... extra) {
		return start(ChainApp.class, service, group, next, extra);
	}

	/**
	 * Starts an instance of a service from another application class, configured as
	 * {@link #start(String, String, String, String...)} configures a {@link ChainApp}.
	 * @param application the application class
	 * @param service the service id
	 * @param group the instance's {@code isolation.group}, or {@code null} to leave it unset
	 * @param next the service it calls, or {@code null} for the last one
	 * @param extra further properties
	 * @return the instance
	 */
	public Instance start(Class<?> application, String service, String group, String next, String... extra) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", service);
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "warn");
		properties.put("logging.level.io.github.isolation.it", "info");
		properties.put("spring.autoconfigure.exclude", this.bridge.otherBridgeAutoConfiguration());
		properties.put("management.tracing.sampling.probability", this.sampled ? "1.0" : "0.0");
		properties.put("spring.cloud.openfeign.client.config.plain.micrometer.enabled", "false");
		properties.put("spring.cloud.zookeeper.enabled", "false");
		properties.putAll(this.common);
		if (group != null) {
			properties.put("isolation.group", group);
		}
		if (next != null) {
			properties.put("chain.next", next);
			int index = 0;
			for (Instance instance : this.instances) {
				if (instance.service().equals(next)) {
					String prefix = "spring.cloud.discovery.client.simple.instances." + next + "[" + index++ + "]";
					properties.put(prefix + ".uri", instance.uri().toString());
					if (instance.group() != null) {
						properties.put(prefix + ".metadata.isolation-group", instance.group());
					}
				}
			}
		}
		putAll(properties, extra);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).properties(properties)
			.run();
		int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		Instance instance = new Instance(service, group, port, context);
		this.instances.add(instance);
		return instance;
	}

	/**
	 * Calls a path on an instance.
	 * @param entry the instance to call
	 * @param path the path and query
	 * @param headers header names and values, alternating
	 * @return the response
	 */
	public HttpResponse<String> get(Instance entry, String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(entry.uri().resolve(path)).timeout(Duration.ofSeconds(30));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request.build());
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

	/**
	 * Sends a request with a JSON body to an instance.
	 * @param entry the instance
	 * @param method the HTTP method
	 * @param path the path
	 * @param json the body, or {@code null} for none
	 * @return the response
	 */
	public HttpResponse<String> send(Instance entry, String method, String path, String json) {
		HttpRequest request = HttpRequest.newBuilder(entry.uri().resolve(path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody())
			.build();
		return send(request);
	}

	/**
	 * Calls {@code /hop} on an instance.
	 * @param entry the instance to call
	 * @param via the client each hop uses for the next
	 * @param headers header names and values, alternating
	 * @return the status and body
	 */
	public Reply call(Instance entry, ChainClient via, String... headers) {
		HttpResponse<String> response = get(entry, "/hop?via=" + via.via(), headers);
		return new Reply(response.statusCode(), response.body());
	}

	private static void putAll(Map<String, Object> properties, String... pairs) {
		for (String pair : pairs) {
			int eq = pair.indexOf('=');
			properties.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
	}

	@Override
	public void close() {
		for (int i = this.instances.size() - 1; i >= 0; i--) {
			this.instances.get(i).context().close();
		}
		this.instances.clear();
	}

}
