package io.github.isolation.it.reactive;

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

import io.github.isolation.it.reactive.HopApp.ReactiveClient;
import io.github.isolation.testsupport.Bridge;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real WebFlux applications on loopback ports, each discovering the next service's instances
 * through Spring Cloud's {@code SimpleDiscoveryClient} with the {@code isolation-group} metadata
 * entry. Start the last service first.
 */
final class ReactiveChain implements AutoCloseable {

	/** A running instance. */
	record Instance(String service, String group, int port, ConfigurableApplicationContext context) {

		/** @return how many requests this instance has served */
		int hits() {
			return this.context.getBean(HopApp.HopController.class).hits();
		}

		/** @return the instance's base URI on loopback */
		URI uri() {
			return URI.create("http://127.0.0.1:" + this.port);
		}

	}

	/** A response from the entry of a chain. */
	record Reply(int status, String body) {
	}

	private final Bridge bridge;

	private final boolean sampled;

	private final List<Instance> instances = new ArrayList<>();

	private final Map<String, Object> common = new LinkedHashMap<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	ReactiveChain(Bridge bridge, boolean sampled) {
		this.bridge = bridge;
		this.sampled = sampled;
	}

	/**
	 * Starts an instance of a service.
	 * @param service the service id
	 * @param group the instance's {@code isolation.group}, or {@code null} to leave it unset
	 * @param next the service it calls, or {@code null} for the last one
	 * @param extra further properties, {@code name=value}
	 * @return the instance
	 */
	Instance start(String service, String group, String next, String... extra) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", service);
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "warn");
		// Netty refuses requests with control characters in a header, as the fuzz sends, at warn each.
		properties.put("logging.level.reactor.netty.http.server.HttpServerOperations", "error");
		properties.put("spring.autoconfigure.exclude", this.bridge.otherBridgeAutoConfiguration());
		properties.put("management.tracing.sampling.probability", this.sampled ? "1.0" : "0.0");
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
		for (String pair : extra) {
			int eq = pair.indexOf('=');
			properties.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(HopApp.class)
			.web(WebApplicationType.REACTIVE)
			.properties(properties)
			.run();
		int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		Instance instance = new Instance(service, group, port, context);
		this.instances.add(instance);
		return instance;
	}

	/**
	 * Calls {@code /hop} on an instance.
	 * @param entry the instance to call
	 * @param via the client each hop uses for the next
	 * @param headers header names and values, alternating
	 * @return the status and body
	 */
	Reply call(Instance entry, ReactiveClient via, String... headers) {
		return get(entry, "/hop?via=" + via.via(), headers);
	}

	/**
	 * Calls a path on an instance.
	 * @param entry the instance to call
	 * @param path the path and query
	 * @param headers header names and values, alternating
	 * @return the status and body
	 */
	Reply get(Instance entry, String path, String... headers) {
		HttpResponse<String> response = send(entry, path, headers);
		return new Reply(response.statusCode(), response.body());
	}

	/**
	 * Calls a path on an instance.
	 * @param entry the instance to call
	 * @param path the path and query
	 * @param headers header names and values, alternating
	 * @return the whole response
	 */
	HttpResponse<String> send(Instance entry, String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(entry.uri().resolve(path)).timeout(Duration.ofSeconds(30));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Call to " + entry.uri().resolve(path) + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
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
