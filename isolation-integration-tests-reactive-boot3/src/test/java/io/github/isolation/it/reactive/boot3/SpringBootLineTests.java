package io.github.isolation.it.reactive.boot3;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite shared with isolation-integration-tests-reactive runs here on the Spring Boot 3.5 line. */
class SpringBootLineTests {

	@Test
	void shouldRunOnSpringBoot35AndSpringCloud20250() {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
		assertThat(LoadBalancerClient.class.getPackage().getImplementationVersion()).startsWith("4.3.");
		// WebFlux of Spring Framework 6.2, the line Boot 3.5 brings, not 7.
		assertThat(WebClient.class.getPackage().getImplementationVersion()).startsWith("6.2.");
	}

}
