package io.github.isolation.example.boot41;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The Spring Boot 4.1 application starts and routes by group over real HTTP. */
class Boot41ExampleApplicationTests {

	private final List<ConfigurableApplicationContext> running = new ArrayList<>();

	private final HttpClient http = HttpClient.newHttpClient();

	@AfterEach
	void stop() {
		this.running.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void shouldStartOnSpringBoot41AndRouteByGroup() throws Exception {
		int stable = start("--spring.application.name=pricing");
		int feature = start("--spring.application.name=pricing", "--isolation.group=feature-x");
		int orders = start("--spring.application.name=orders", "--example.next=pricing",
				"--spring.cloud.discovery.client.simple.instances.pricing[0].uri=http://127.0.0.1:" + stable,
				"--spring.cloud.discovery.client.simple.instances.pricing[1].uri=http://127.0.0.1:" + feature,
				"--spring.cloud.discovery.client.simple.instances.pricing[1].metadata.isolation-group=feature-x");

		assertThat(SpringBootVersion.getVersion()).startsWith("4.1.");
		assertThat(get(orders, "isolation-group", "feature-x")).isEqualTo("orders@stable > pricing@feature-x");
		assertThat(get(orders, "baggage", "isolation-group=feature-x")).isEqualTo("orders@stable > pricing@feature-x");
		for (int i = 0; i < 20; i++) {
			assertThat(get(orders)).isEqualTo("orders@stable > pricing@stable");
		}
	}

	private int start(String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(List.of("--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Boot41ExampleApplication.class)
			.run(all.toArray(String[]::new));
		this.running.add(context);
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	private String get(int port, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isEqualTo(200);
		return response.body();
	}

}
