package io.github.isolation.benchmarks.harness;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The three-hop chain {@code a -> b -> c} on loopback, every service a real Spring Boot
 * application in this JVM, discovering the next one through Spring Cloud's
 * {@code SimpleDiscoveryClient}: {@code a} and {@code b} are stable; {@code c} has a stable
 * instance and one started with {@code isolation.group=feature-x} and no discovery metadata, so
 * with isolation on it is in {@code feature-x} only through the binding it writes to
 * ZooKeeper itself.
 */
final class HarnessChain implements AutoCloseable {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final URI entry;

	/**
	 * Starts the chain.
	 * @param isolation whether the starter is on ({@code isolation.enabled})
	 * @param zookeeper the ZooKeeper connect string for bindings, or {@code null} for none
	 */
	HarnessChain(boolean isolation, String zookeeper) {
		Map<String, Object> common = new LinkedHashMap<>();
		common.put("isolation.enabled", Boolean.toString(isolation));
		if (zookeeper != null) {
			common.put("isolation.zookeeper.connect-string", zookeeper);
		}
		URI c1 = start("c", null, null, List.of(), common);
		URI c2 = start("c", "feature-x", null, List.of(), common);
		URI b = start("b", null, "c", List.of(c1, c2), common);
		this.entry = start("a", null, "b", List.of(b), common);
	}

	/**
	 * The entry of the chain.
	 * @return {@code /hop} on {@code a}
	 */
	URI entry() {
		return this.entry.resolve("/hop");
	}

	private URI start(String service, String group, String next, List<URI> nextInstances, Map<String, Object> common) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", service);
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.cloud.zookeeper.enabled", "false");
		// Traces are not exported here; the baggage, which carries the tag, travels either way.
		properties.put("management.tracing.sampling.probability", "0.0");
		properties.putAll(common);
		if (group != null) {
			properties.put("isolation.group", group);
		}
		if (next != null) {
			properties.put("chain.next", next);
			for (int i = 0; i < nextInstances.size(); i++) {
				properties.put("spring.cloud.discovery.client.simple.instances." + next + "[" + i + "].uri",
						nextInstances.get(i).toString());
			}
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(HarnessApp.class).properties(properties)
			.run();
		this.contexts.add(context);
		return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
	}

	@Override
	public void close() {
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
		this.contexts.clear();
	}

}
