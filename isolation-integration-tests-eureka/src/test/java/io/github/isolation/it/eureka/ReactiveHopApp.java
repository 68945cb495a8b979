package io.github.isolation.it.eureka;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import io.github.isolation.autoconfigure.LocalGroup;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * A WebFlux service registered with Eureka. {@code GET /hop?via=CLIENT} answers
 * {@code service@group} of this instance, followed by the route the next service
 * ({@code hop.next}) took when called through a {@code @LoadBalanced WebClient}, by the
 * upper-case name Eureka reports; {@code via} is passed on for the hops after it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ReactiveHopApp.HopController.class)
public class ReactiveHopApp {

	/**
	 * Event loops and connections of this application alone: many applications share the
	 * test's JVM, and closing one must not dispose of Reactor Netty's global resources under the
	 * others.
	 */
	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.setUseGlobalResources(false);
		resources.setShutdownQuietPeriod(Duration.ZERO);
		return resources;
	}

	@Bean
	@LoadBalanced
	WebClient.Builder loadBalancedWebClientBuilder(ReactorResourceFactory resources) {
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(resources, Function.identity()));
	}

	@RestController
	static class HopController {

		private final String service;

		private final LocalGroup localGroup;

		private final String next;

		private final WebClient client;

		HopController(@Value("${spring.application.name}") String service, LocalGroup localGroup,
				@Value("${hop.next:}") String next, WebClient.Builder client) {
			this.service = service;
			this.localGroup = localGroup;
			this.next = next;
			this.client = client.build();
		}

		@GetMapping("/hop")
		Mono<String> hop(@RequestParam(name = "via", defaultValue = "restclient") String via) {
			if (this.next.isEmpty()) {
				return Mono.just(self());
			}
			return this.client.get()
				.uri("http://" + this.next.toUpperCase(Locale.ROOT) + "/hop?via=" + via)
				.retrieve()
				.bodyToMono(String.class)
				.map((route) -> self() + " > " + route);
		}

		/** Errors travel back up the chain as text, so that the caller sees the first hop's message. */
		@ExceptionHandler(Exception.class)
		ResponseEntity<String> failed(Exception ex) {
			String message = (ex instanceof WebClientResponseException response) ? response.getResponseBodyAsString()
					: ex.getClass().getSimpleName() + ": " + ex.getMessage();
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(self() + " failed: " + message);
		}

		private String self() {
			return this.service + "@" + this.localGroup.current().name();
		}

	}

}
