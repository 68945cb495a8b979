package io.github.isolation.benchmarks.harness;

import io.github.isolation.autoconfigure.LocalGroup;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.RestTemplate;

/**
 * One service of the harness chain, as an ordinary Spring Cloud service writes it: a
 * {@code @LoadBalanced RestTemplate} (with tracing, so the tag travels in baggage) calls the
 * next service ({@code chain.next}). {@code GET /hop} answers the route as
 * {@code a@stable > b@stable > c@feature-x}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(HarnessApp.HopController.class)
public class HarnessApp {

	@Bean
	@LoadBalanced
	RestTemplate restTemplate(ObservationRegistry registry) {
		RestTemplate template = new RestTemplate();
		template.setObservationRegistry(registry);
		return template;
	}

	@RestController
	static class HopController {

		private final String service;

		private final String configuredGroup;

		private final ObjectProvider<LocalGroup> localGroup;

		private final String next;

		private final RestTemplate restTemplate;

		HopController(@Value("${spring.application.name}") String service,
				@Value("${isolation.group:stable}") String configuredGroup, ObjectProvider<LocalGroup> localGroup,
				@Value("${chain.next:}") String next, RestTemplate restTemplate) {
			this.service = service;
			this.configuredGroup = configuredGroup;
			this.localGroup = localGroup;
			this.next = next;
			this.restTemplate = restTemplate;
		}

		@GetMapping("/hop")
		String hop() {
			if (this.next.isEmpty()) {
				return self();
			}
			return self() + " > " + this.restTemplate.getForObject("http://" + this.next + "/hop", String.class);
		}

		/** Errors travel back up the chain as text, so the driver sees the first hop's message. */
		@ExceptionHandler(Exception.class)
		ResponseEntity<String> failed(Exception ex) {
			String message = (ex instanceof RestClientResponseException response) ? response.getResponseBodyAsString()
					: ex.getClass().getSimpleName() + ": " + ex.getMessage();
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(self() + " failed: " + message);
		}

		// With isolation on, the group this instance has now (a binding included); off, the property.
		private String self() {
			LocalGroup group = this.localGroup.getIfAvailable();
			return this.service + "@" + ((group != null) ? group.current().name() : this.configuredGroup);
		}

	}

}
