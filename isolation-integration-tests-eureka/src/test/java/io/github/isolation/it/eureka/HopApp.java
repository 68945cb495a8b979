package io.github.isolation.it.eureka;

import java.util.Locale;

import feign.FeignException;

import io.github.isolation.autoconfigure.LocalGroup;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * A servlet service registered with Eureka. {@code GET /hop?via=feign|restclient} answers
 * {@code service@group} of this instance, followed by the route the next service
 * ({@code hop.next}) took when called with that client; the last service answers its own hop
 * only. The Feign client names the next service as configured (lower case); the
 * {@code RestClient} calls it by the upper-case name Eureka reports, so both spellings reach the
 * load balancer.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableFeignClients(clients = HopApp.NextClient.class)
@Import(HopApp.HopController.class)
public class HopApp {

	@FeignClient(name = "${hop.next:none}", contextId = "next")
	public interface NextClient {

		@GetMapping("/hop")
		String hop(@RequestParam("via") String via);

	}

	/**
	 * The builder that everything not load-balanced takes, Eureka's own client among them: it
	 * takes the application's only {@code RestClient.Builder} bean, and a load-balanced one would
	 * send its registration to a service named after the Eureka server's host.
	 */
	@Bean
	@Primary
	RestClient.Builder restClientBuilder() {
		return RestClient.builder();
	}

	@Bean
	@LoadBalanced
	RestClient.Builder loadBalancedRestClientBuilder() {
		return RestClient.builder();
	}

	@RestController
	static class HopController {

		private final String service;

		private final LocalGroup localGroup;

		private final String next;

		private final NextClient feign;

		private final RestClient restClient;

		HopController(@Value("${spring.application.name}") String service, LocalGroup localGroup,
				@Value("${hop.next:}") String next, NextClient feign, @LoadBalanced RestClient.Builder restClient) {
			this.service = service;
			this.localGroup = localGroup;
			this.next = next;
			this.feign = feign;
			this.restClient = restClient.build();
		}

		@GetMapping("/hop")
		String hop(@RequestParam(name = "via", defaultValue = "restclient") String via) {
			if (this.next.isEmpty()) {
				return self();
			}
			String route = switch (via) {
				case "feign" -> this.feign.hop(via);
				case "restclient" -> this.restClient.get()
					.uri("http://" + this.next.toUpperCase(Locale.ROOT) + "/hop?via=" + via)
					.retrieve()
					.body(String.class);
				default -> throw new IllegalArgumentException("Unknown client " + via);
			};
			return self() + " > " + route;
		}

		/** Errors travel back up the chain as text, so that the caller sees the first hop's message. */
		@ExceptionHandler(Exception.class)
		ResponseEntity<String> failed(Exception ex) {
			String message;
			if (ex instanceof RestClientResponseException response) {
				message = response.getResponseBodyAsString();
			}
			else if (ex instanceof FeignException feign && feign.status() > 0) {
				message = feign.contentUTF8();
			}
			else {
				message = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(self() + " failed: " + message);
		}

		private String self() {
			return this.service + "@" + this.localGroup.current().name();
		}

	}

}
