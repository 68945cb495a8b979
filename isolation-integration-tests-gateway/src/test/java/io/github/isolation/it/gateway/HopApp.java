package io.github.isolation.it.gateway;

import java.util.Collections;
import java.util.List;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;

import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.testsupport.TagFuzz.ReceivedLog;
import io.github.isolation.testsupport.TagFuzz.WireTags;

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
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * A servlet service behind the gateway. {@code GET /{service}/hop} answers {@code service@group}
 * of this instance, followed by the route the next service ({@code hop.next}) took when called
 * through a bare {@code @LoadBalanced RestClient}; the last service answers its own hop only.
 * Each service's path starts with its name, so that the gateway routes by path alone.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(HopApp.HopController.class)
public class HopApp {

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

		private final RestClient client;

		private final ReceivedLog received = new ReceivedLog();

		HopController(@Value("${spring.application.name}") String service, LocalGroup localGroup,
				@Value("${hop.next:}") String next, RestClient.Builder client) {
			this.service = service;
			this.localGroup = localGroup;
			this.next = next;
			this.client = client.build();
		}

		@GetMapping("/${spring.application.name}/hop")
		String hop(HttpServletRequest request) {
			this.received.add(wireTags(request));
			if (this.next.isEmpty()) {
				return self();
			}
			String route = this.client.get()
				.uri("http://" + this.next + "/" + this.next + "/hop")
				.retrieve()
				.body(String.class);
			return self() + " > " + route;
		}

		/** Errors travel back as text, so that a failing test shows the first hop's message. */
		@ExceptionHandler(Exception.class)
		ResponseEntity<String> failed(Exception ex) {
			String message = (ex instanceof RestClientResponseException response) ? response.getResponseBodyAsString()
					: ex.getClass().getSimpleName() + ": " + ex.getMessage();
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(self() + " failed: " + message);
		}

		/** @return the tags of the {@code /hop} requests received since the last call, forgetting them */
		List<WireTags> takeReceived() {
			return this.received.take();
		}

		/** The request's tags as they came over the wire, under the library's rewriting wrapper. */
		private static WireTags wireTags(HttpServletRequest served) {
			ServletRequest request = served;
			while (request instanceof ServletRequestWrapper wrapper) {
				request = wrapper.getRequest();
			}
			HttpServletRequest received = (HttpServletRequest) request;
			return WireTags.of((name) -> Collections.list(received.getHeaders(name)));
		}

		private String self() {
			return this.service + "@" + this.localGroup.current().name();
		}

	}

}
