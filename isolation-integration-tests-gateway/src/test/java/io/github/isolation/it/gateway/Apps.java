package io.github.isolation.it.gateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.isolation.testsupport.Bridge;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real Spring Boot applications on loopback ports: {@link HopApp} services and {@link GatewayApp}
 * gateways, each discovering the instances started before it through Spring Cloud's
 * {@code SimpleDiscoveryClient}, with the {@code isolation-group} metadata entry. Start the last
 * service first and the gateways last.
 *
 * <p>Both gateway servers share this module's classpath with the servlet services. The servlet
 * applications switch the WebFlux gateway off; the WebFlux gateway leaves the Web MVC one on,
 * since it has no effect in a reactive application and its filter auto-configuration fails to
 * start without it.
 */
final class Apps implements AutoCloseable {

	/** A running application. */
	record App(String service, String group, int port, ConfigurableApplicationContext context) {

		/** @return the application's base URI on loopback */
		URI uri() {
			return URI.create("http://127.0.0.1:" + this.port);
		}

	}

	private final List<App> apps = new ArrayList<>();

	private final Bridge bridge;

	/** Applications on Brave. */
	Apps() {
		this(Bridge.BRAVE);
	}

	/**
	 * Applications on a tracing bridge.
	 * @param bridge the bridge every application runs on
	 */
	Apps(Bridge bridge) {
		this.bridge = bridge;
	}

	/**
	 * Starts an instance of a service.
	 * @param service the service id, also the first segment of its path
	 * @param group the instance's {@code isolation.group}, or {@code null} for stable
	 * @param next the service it calls, or {@code null} for the last one
	 * @param extra further properties, as {@code name=value}
	 * @return the instance
	 */
	App service(String service, String group, String next, String... extra) {
		Map<String, Object> properties = common(service);
		properties.put(Flavour.WEBFLUX.enabled(), "false");
		if (group != null) {
			properties.put("isolation.group", group);
		}
		if (next != null) {
			properties.put("hop.next", next);
			discover(next, properties);
		}
		putAll(properties, extra);
		return start(HopApp.class, service, group, properties);
	}

	/**
	 * Starts a gateway whose routes send {@code /b/**} to {@code lb://b} and {@code /c/**} to
	 * {@code lb://c}.
	 * @param flavour the gateway's server
	 * @param extra further properties, as {@code name=value}
	 * @return the gateway
	 */
	App gateway(Flavour flavour, String... extra) {
		Map<String, Object> properties = common("gateway");
		properties.put("spring.main.web-application-type", flavour.webApplicationType());
		if (flavour == Flavour.WEBMVC) {
			properties.put(Flavour.WEBFLUX.enabled(), "false");
		}
		else if (SpringBootVersion.getVersion().startsWith("3.")) {
			// Gateway 4.3's Web MVC server wants a RestClient.Builder, which Boot 3.5 gives only
			// to servlet applications; there it can be switched off.
			properties.put(Flavour.WEBMVC.enabled(), "false");
		}
		int index = 0;
		for (String service : List.of("b", "c")) {
			String route = flavour.prefix() + ".routes[" + index++ + "]";
			properties.put(route + ".id", service);
			properties.put(route + ".uri", "lb://" + service);
			properties.put(route + ".predicates[0]", "Path=/" + service + "/**");
			discover(service, properties);
		}
		putAll(properties, extra);
		return start(GatewayApp.class, "gateway", null, properties);
	}

	private Map<String, Object> common(String service) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", service);
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "warn");
		properties.put("logging.level.org.springframework.cloud.loadbalancer.config", "error");
		properties.put("management.tracing.sampling.probability", "1.0");
		properties.put("spring.autoconfigure.exclude", this.bridge.otherBridgeAutoConfiguration());
		return properties;
	}

	private static void putAll(Map<String, Object> properties, String... pairs) {
		for (String pair : pairs) {
			int eq = pair.indexOf('=');
			properties.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
	}

	private void discover(String service, Map<String, Object> properties) {
		int index = 0;
		for (App app : this.apps) {
			if (app.service().equals(service)) {
				String prefix = "spring.cloud.discovery.client.simple.instances." + service + "[" + index++ + "]";
				properties.put(prefix + ".uri", app.uri().toString());
				if (app.group() != null) {
					properties.put(prefix + ".metadata.isolation-group", app.group());
				}
			}
		}
	}

	private App start(Class<?> application, String service, String group, Map<String, Object> properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).properties(properties).run();
		int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		App app = new App(service, group, port, context);
		this.apps.add(app);
		return app;
	}

	@Override
	public void close() {
		for (int i = this.apps.size() - 1; i >= 0; i--) {
			this.apps.get(i).context().close();
		}
		this.apps.clear();
	}

}
