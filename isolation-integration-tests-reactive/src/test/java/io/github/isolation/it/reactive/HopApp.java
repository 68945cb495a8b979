package io.github.isolation.it.reactive;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;

import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.autoconfigure.edge.EdgeDecision;
import io.github.isolation.autoconfigure.reactive.IsolationReactorContext;
import io.github.isolation.testsupport.TagFuzz.ReceivedLog;
import io.github.isolation.testsupport.TagFuzz.WireTags;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ServerWebExchange;

/**
 * One WebFlux service of a test chain. {@code GET /hop?via=CLIENT} answers {@code service@group}
 * of this instance, followed by the route the next service ({@code chain.next}) took when called
 * through that {@code @LoadBalanced WebClient}; the last service answers its own hop only. With
 * {@code group=NAME} the call to the next service runs under
 * {@code contextWrite(IsolationReactorContext.withGroup(NAME))}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ HopApp.HopController.class, HopApp.UnhandledController.class })
public class HopApp {

	/** Records the tags of every {@code /hop} request as they came over the wire. */
	@Bean
	WireTagsRecorder wireTagsRecorder() {
		return new WireTagsRecorder();
	}

	/**
	 * Event loops and connections of this application alone, for its server and its clients:
	 * many applications share the test's JVM, and closing one must not dispose of Reactor
	 * Netty's global resources under the others.
	 */
	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.setUseGlobalResources(false);
		resources.setShutdownQuietPeriod(Duration.ZERO);
		return resources;
	}

	/** A builder whose clients tracing instruments. */
	@Bean
	@LoadBalanced
	WebClient.Builder instrumentedWebClientBuilder(ReactorResourceFactory resources, ObservationRegistry registry) {
		return WebClient.builder().clientConnector(connector(resources)).observationRegistry(registry);
	}

	/** A bare builder: its clients send no tracing headers of their own. */
	@Bean
	@LoadBalanced
	WebClient.Builder plainWebClientBuilder(ReactorResourceFactory resources) {
		return WebClient.builder().clientConnector(connector(resources));
	}

	private static ReactorClientHttpConnector connector(ReactorResourceFactory resources) {
		return new ReactorClientHttpConnector(resources, Function.identity());
	}

	@RestController
	public static class HopController {

		private final AtomicInteger hits = new AtomicInteger();

		private final String service;

		private final LocalGroup localGroup;

		private final String next;

		private final WebClient instrumented;

		private final WebClient plain;

		HopController(@Value("${spring.application.name}") String service, LocalGroup localGroup,
				@Value("${chain.next:}") String next,
				@Qualifier("instrumentedWebClientBuilder") WebClient.Builder instrumented,
				@Qualifier("plainWebClientBuilder") WebClient.Builder plain) {
			this.service = service;
			this.localGroup = localGroup;
			this.next = next;
			this.instrumented = instrumented.build();
			this.plain = plain.build();
		}

		@GetMapping("/hop")
		Mono<String> hop(@RequestParam(name = "via", defaultValue = "instrumented") String via,
				@RequestParam(name = "group", required = false) String group) {
			this.hits.incrementAndGet();
			if (this.next.isEmpty()) {
				return Mono.just(self());
			}
			Mono<String> downstream = callNext(via);
			if (group != null) {
				downstream = downstream.contextWrite(IsolationReactorContext.withGroup(group));
			}
			return downstream.map((route) -> self() + " > " + route);
		}

		Mono<String> callNext(String via) {
			WebClient client = switch (ReactiveClient.valueOf(via.toUpperCase())) {
				case INSTRUMENTED -> this.instrumented;
				case PLAIN -> this.plain;
			};
			return client.get().uri("http://" + this.next + "/hop?via=" + via).retrieve().bodyToMono(String.class);
		}

		/** The request's tags as the application sees them, one {@code name: values} line each. */
		@GetMapping("/tags")
		String tags(ServerHttpRequest request) {
			return "isolation-group: " + request.getHeaders().get("isolation-group") + "\nisolation-fail-fast: "
					+ request.getHeaders().get("isolation-fail-fast") + "\nbaggage: " + request.getHeaders().get("baggage");
		}

		/** What the edge decided, from the exchange attribute. */
		@GetMapping("/decision")
		String decision(ServerWebExchange exchange) {
			EdgeDecision decision = exchange.getAttribute(EdgeDecision.ATTRIBUTE);
			return (decision != null) ? decision.group() + " " + decision.source() + " " + decision.clientAddress()
					+ " trusted=" + decision.trusted() : "none";
		}

		public int hits() {
			return this.hits.get();
		}

		/** Errors travel back up the chain as text, so that the caller sees the first hop's message. */
		@ExceptionHandler(Exception.class)
		ResponseEntity<String> failed(Exception ex) {
			String message = (ex instanceof WebClientResponseException response) ? response.getResponseBodyAsString()
					: ex.getClass().getSimpleName() + ": " + ex.getMessage();
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(self() + " failed: " + message);
		}

		/** This hop as {@code service@group}, with the group the instance has now, bindings included. */
		private String self() {
			return this.service + "@" + this.localGroup.current().name();
		}

	}

	/**
	 * The outermost decorator of the application's handler, before the library or tracing sees
	 * a request: what it records is what the previous hop sent.
	 */
	public static final class WireTagsRecorder implements HttpHandlerDecoratorFactory, Ordered {

		private final ReceivedLog received = new ReceivedLog();

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		@Override
		public HttpHandler apply(HttpHandler handler) {
			return (request, response) -> {
				if (request.getPath().value().equals("/hop")) {
					this.received.add(WireTags.of(request.getHeaders()::getOrEmpty));
				}
				return handler.handle(request, response);
			};
		}

		/** @return the tags received since the last call, forgetting them */
		public List<WireTags> take() {
			return this.received.take();
		}

	}

	/**
	 * {@code GET /unhandled?via=CLIENT} calls the next service's {@code /hop} like
	 * {@link HopController}, without an exception handler of its own: whatever the call fails
	 * with propagates out of the handler, to the application's error handling.
	 */
	@RestController
	public static class UnhandledController {

		private final HopController hop;

		UnhandledController(HopController hop) {
			this.hop = hop;
		}

		@GetMapping("/unhandled")
		Mono<String> unhandled(@RequestParam(name = "via", defaultValue = "instrumented") String via) {
			return this.hop.callNext(via);
		}

	}

	/** The {@code @LoadBalanced WebClient}s a hop can call the next one with. */
	public enum ReactiveClient {

		/** Built with the application's observation registry. */
		INSTRUMENTED,

		/** Built from a bare {@code WebClient.builder()}. */
		PLAIN;

		/** @return the value of the {@code via} parameter */
		public String via() {
			return name().toLowerCase();
		}

	}

}
