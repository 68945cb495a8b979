package io.github.isolation.examples;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.core.IsolationRoutingException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

import feign.FeignException;

/**
 * {@code GET /}: this hop as {@code service@group}, then the route the next service took.
 * A failed hop answers 502 with the route so far and the reason, such as the library's
 * {@link IsolationRoutingException} message, so that the caller at the edge reads it.
 *
 * <p>{@code GET /?order=ID}: the same, and {@code orders}, once the rest of the chain answered,
 * publishes the event {@value OrderPlacedListener#TOPIC} for that order, which
 * {@code notifications} consumes ({@link OrderPlacedListener}).
 */
@RestController
public class RouteController {

	/** Who calls whom; {@code example.next} overrides it. pricing is the end of the chain. */
	static final Map<String, String> NEXT = Map.of("web", "orders", "orders", "inventory", "inventory", "pricing",
			"notifications", "pricing");

	/** The service that publishes {@value OrderPlacedListener#TOPIC}. */
	static final String PUBLISHER = "orders";

	private static final Log logger = LogFactory.getLog(RouteController.class);

	private final String service;

	private final String next;

	private final LocalGroup localGroup;

	private final PricingClient pricing;

	private final RestClient restClient;

	private final ObjectProvider<KafkaTemplate<String, String>> kafka;

	private final ObjectProvider<OrderPlacedListener> notifications;

	RouteController(@Value("${spring.application.name}") String service, @Value("${example.next:#{null}}") String next,
			LocalGroup localGroup, PricingClient pricing, RestClient.Builder loadBalanced,
			ObjectProvider<KafkaTemplate<String, String>> kafka, ObjectProvider<OrderPlacedListener> notifications) {
		this.service = service;
		this.next = (next != null) ? next : NEXT.getOrDefault(service, "");
		this.localGroup = localGroup;
		this.pricing = pricing;
		this.restClient = loadBalanced.build();
		this.kafka = kafka;
		this.notifications = notifications;
	}

	/**
	 * Answers the route of this request from this instance on.
	 * @param order the order this request places, passed on down the chain; none by default
	 * @return {@code service@group > ...} down to the end of the chain
	 * @throws Exception when {@code orders} could not publish the order's event
	 */
	@GetMapping("/")
	public String route(@RequestParam(name = "order", required = false) String order) throws Exception {
		if (this.next.isEmpty()) {
			return self();
		}
		// Both kinds of client carry the request's group on: Feign to pricing, RestClient elsewhere.
		String rest = this.next.equals("pricing") ? this.pricing.route()
				: this.restClient.get()
					.uri("http://" + this.next + "/" + ((order != null) ? "?order={order}" : ""),
							(order != null) ? new Object[] { order } : new Object[0])
					.retrieve()
					.body(String.class);
		if (order != null && this.service.equals(PUBLISHER)) {
			// Only an order that went through is placed. Waiting for the broker's acknowledgement
			// means that once the caller has its answer, the record is in the topic. The record
			// carries this request's tag: isolation-kafka's producer interceptor adds it.
			this.kafka.getObject().send(OrderPlacedListener.TOPIC, order, self()).get(10, TimeUnit.SECONDS);
		}
		return self() + " > " + rest;
	}

	/**
	 * On {@code notifications}: where this instance processed an order's record.
	 * @param order the order, the record's key
	 * @return one route per time it processed the record, one per line; empty if never
	 */
	@GetMapping("/notified")
	public String notified(@RequestParam(name = "order") String order) {
		OrderPlacedListener listener = this.notifications.getIfAvailable();
		return (listener != null) ? String.join("\n", listener.routesOf(order)) : "";
	}

	/**
	 * A failed call to the next service: 502 with the route so far and why it ended there.
	 * @param ex what the client threw
	 * @return the route, ending in the reason
	 */
	@ExceptionHandler
	public ResponseEntity<String> failed(Exception ex) {
		String downstream = null;
		if (ex instanceof RestClientResponseException response) {
			downstream = response.getResponseBodyAsString();
		}
		else if (ex instanceof FeignException feign) {
			downstream = feign.contentUTF8();
		}
		// A hop further down failed and said why: pass its route on as it is.
		String rest = (downstream != null && !downstream.isEmpty()) ? downstream : "failed: " + reason(ex);
		return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(self() + " > " + rest);
	}

	/** Announces the instance, so that a user who started it knows where to send requests. */
	@EventListener
	public void ready(ApplicationReadyEvent event) {
		String address = event.getApplicationContext().getEnvironment().getProperty("server.address", "localhost");
		String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port");
		logger.info(self() + " is up: curl http://" + address + ":" + port + "/");
	}

	/** This hop. {@code current()}, not the configured group: a binding changed live shows at once. */
	private String self() {
		return this.service + "@" + this.localGroup.current().name();
	}

	/** The library's routing message where there is one, wherever the client wrapped it. */
	private static String reason(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IsolationRoutingException routing) {
				return routing.getMessage();
			}
		}
		return ex.getClass().getSimpleName() + ": " + ex.getMessage();
	}

}
