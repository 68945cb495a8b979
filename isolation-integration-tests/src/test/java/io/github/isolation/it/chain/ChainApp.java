package io.github.isolation.it.chain;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.testsupport.TagFuzz.ReceivedLog;
import io.github.isolation.testsupport.TagFuzz.WireTags;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.RestTemplate;

import feign.FeignException;

/**
 * One service of a test chain. {@code GET /hop?via=CLIENT} answers {@code service@group} of this
 * instance, followed by the route the next service ({@code chain.next}) took when called with
 * that client; the last service answers its own hop only.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableFeignClients(clients = { ChainApp.NextClient.class, ChainApp.PlainNextClient.class })
@Import({ ChainApp.HopController.class, ChainApp.UnhandledController.class })
public class ChainApp {

	/** A Feign client instrumented for tracing (feign-micrometer is on the classpath). */
	@FeignClient(name = "${chain.next:none}", contextId = "next")
	public interface NextClient {

		@GetMapping("/hop")
		String hop(@RequestParam("via") String via);

	}

	/** A Feign client with its tracing instrumentation switched off. */
	@FeignClient(name = "${chain.next:none}", contextId = "plain")
	public interface PlainNextClient {

		@GetMapping("/hop")
		String hop(@RequestParam("via") String via);

	}

	@Bean
	@LoadBalanced
	RestTemplate instrumentedRestTemplate(ObservationRegistry registry) {
		RestTemplate template = new RestTemplate();
		template.setObservationRegistry(registry);
		return template;
	}

	/**
	 * A template from Spring Boot's {@code RestTemplateBuilder}, which instruments it for tracing.
	 * The builder is in a different package on each Spring Boot line, and these sources run on
	 * both.
	 */
	@Bean
	@LoadBalanced
	RestTemplate builtRestTemplate(ApplicationContext context) throws ReflectiveOperationException {
		String name = SpringBootVersion.getVersion().startsWith("3.") ? "org.springframework.boot.web.client.RestTemplateBuilder"
				: "org.springframework.boot.restclient.RestTemplateBuilder";
		Object builder = context.getBean(ClassUtils.forName(name, context.getClassLoader()));
		return (RestTemplate) builder.getClass().getMethod("build").invoke(builder);
	}

	@Bean
	@LoadBalanced
	RestTemplate plainRestTemplate() {
		return new RestTemplate();
	}

	@Bean
	@LoadBalanced
	RestClient.Builder instrumentedRestClientBuilder(ObservationRegistry registry) {
		return RestClient.builder().observationRegistry(registry);
	}

	@Bean
	@LoadBalanced
	RestClient.Builder plainRestClientBuilder() {
		return RestClient.builder();
	}

	@RestController
	public static class HopController {

		private static final Log logger = LogFactory.getLog(HopController.class);

		private final AtomicInteger hits = new AtomicInteger();

		private final String service;

		private final String configuredGroup;

		private final ObjectProvider<LocalGroup> localGroup;

		private final String next;

		private final NextClient feign;

		private final PlainNextClient plainFeign;

		private final RestTemplate restTemplate;

		private final RestTemplate builtRestTemplate;

		private final RestTemplate plainRestTemplate;

		private final ReceivedLog received = new ReceivedLog();

		private final RestClient restClient;

		private final RestClient plainRestClient;

		HopController(@Value("${spring.application.name}") String service, @Value("${isolation.group:stable}") String group,
				ObjectProvider<LocalGroup> localGroup, @Value("${chain.next:}") String next, NextClient feign, PlainNextClient plainFeign,
				@Qualifier("instrumentedRestTemplate") RestTemplate restTemplate,
				@Qualifier("builtRestTemplate") RestTemplate builtRestTemplate,
				@Qualifier("plainRestTemplate") RestTemplate plainRestTemplate,
				@Qualifier("instrumentedRestClientBuilder") RestClient.Builder restClient,
				@Qualifier("plainRestClientBuilder") RestClient.Builder plainRestClient) {
			this.service = service;
			this.configuredGroup = group;
			this.localGroup = localGroup;
			this.next = next;
			this.feign = feign;
			this.plainFeign = plainFeign;
			this.restTemplate = restTemplate;
			this.builtRestTemplate = builtRestTemplate;
			this.plainRestTemplate = plainRestTemplate;
			this.restClient = restClient.build();
			this.plainRestClient = plainRestClient.build();
		}

		@GetMapping("/hop")
		String hop(@RequestParam(name = "via", defaultValue = "resttemplate") String via, HttpServletRequest request) {
			this.hits.incrementAndGet();
			this.received.add(wireTags(request));
			logger.info("hop served by " + self());
			if (this.next.isEmpty()) {
				return self();
			}
			return self() + " > " + callNext(via);
		}

		public int hits() {
			return this.hits.get();
		}

		/**
		 * Takes the tag headers of every request served since the last call, as they came off the
		 * wire.
		 * @return the tag headers, oldest first
		 */
		public List<WireTags> takeReceived() {
			return this.received.take();
		}

		String callNext(String via) {
			String url = "http://" + this.next + "/hop?via=" + via;
			return switch (ChainClient.valueOf(via.toUpperCase().replace('-', '_'))) {
				case FEIGN -> this.feign.hop(via);
				case PLAIN_FEIGN -> this.plainFeign.hop(via);
				case RESTTEMPLATE -> this.restTemplate.getForObject(url, String.class);
				case BUILT_RESTTEMPLATE -> this.builtRestTemplate.getForObject(url, String.class);
				case PLAIN_RESTTEMPLATE -> this.plainRestTemplate.getForObject(url, String.class);
				case RESTCLIENT -> this.restClient.get().uri(url).retrieve().body(String.class);
				case PLAIN_RESTCLIENT -> this.plainRestClient.get().uri(url).retrieve().body(String.class);
			};
		}

		/** Errors travel back up the chain as text, so that the caller sees the first hop's message. */
		@ExceptionHandler(Exception.class)
		ResponseEntity<String> failed(Exception ex) {
			String message;
			if (ex instanceof RestClientResponseException response) {
				message = response.getResponseBodyAsString();
			}
			else if (ex instanceof FeignException feign) {
				message = feign.contentUTF8();
			}
			else {
				message = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(self() + " failed: " + message);
		}

		/** This hop as {@code service@group}, with the group the instance has now, bindings included. */
		private String self() {
			LocalGroup group = this.localGroup.getIfAvailable();
			return this.service + "@" + ((group != null) ? group.current().name() : this.configuredGroup);
		}

	}

	/**
	 * {@code GET /unhandled?via=CLIENT} calls the next service's {@code /hop} like
	 * {@link HopController}, without an exception handler of its own: whatever the call throws
	 * propagates out of the handler, to the application's error handling.
	 */
	@RestController
	public static class UnhandledController {

		private final HopController hop;

		UnhandledController(HopController hop) {
			this.hop = hop;
		}

		@GetMapping("/unhandled")
		String unhandled(@RequestParam(name = "via", defaultValue = "resttemplate") String via) {
			return this.hop.callNext(via);
		}

	}

	/**
	 * The isolation headers of a request as received, before any filter of the application
	 * rewrote them.
	 * @param served the request as the controller sees it
	 * @return its tags as they came over the wire
	 */
	static WireTags wireTags(HttpServletRequest served) {
		ServletRequest request = served;
		while (request instanceof ServletRequestWrapper wrapper) {
			request = wrapper.getRequest();
		}
		HttpServletRequest received = (HttpServletRequest) request;
		return WireTags.of((name) -> Collections.list(received.getHeaders(name)));
	}

}
