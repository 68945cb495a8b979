package io.github.isolation.it.boot41;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite shared with isolation-integration-tests runs here on the Spring Boot 4.1 line. */
class SpringBootLineTests {

	@Test
	void shouldRunOnSpringBoot41AndSpringCloud20251() {
		assertThat(SpringBootVersion.getVersion()).startsWith("4.1.");
		assertThat(LoadBalancerClient.class.getPackage().getImplementationVersion()).startsWith("5.0.");
	}

}
