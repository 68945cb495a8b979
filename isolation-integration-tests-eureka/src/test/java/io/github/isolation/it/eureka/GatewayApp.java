package io.github.isolation.it.eureka;

import java.time.Duration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * A Spring Cloud Gateway (server WebFlux) registered with Eureka: its routes come from
 * properties and from Eureka through the discovery locator, as Eureka users write them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class GatewayApp {

	/** Resources of this application alone, as in {@link ReactiveHopApp}. */
	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.setUseGlobalResources(false);
		resources.setShutdownQuietPeriod(Duration.ZERO);
		return resources;
	}

}
