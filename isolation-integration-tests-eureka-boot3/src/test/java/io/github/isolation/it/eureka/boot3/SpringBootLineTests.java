package io.github.isolation.it.eureka.boot3;

import com.netflix.discovery.EurekaClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite shared with isolation-integration-tests-eureka runs here on the Spring Boot 3.5 line. */
class SpringBootLineTests {

	@Test
	void shouldRunOnSpringBoot35AndSpringCloud20250() {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
		assertThat(LoadBalancerClient.class.getPackage().getImplementationVersion()).startsWith("4.3.");
		assertThat(EnableEurekaServer.class.getPackage().getImplementationVersion()).startsWith("4.3.");
		assertThat(EurekaClient.class).isNotNull();
	}

}
