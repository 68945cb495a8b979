package io.github.isolation.examples;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.core.IsolationRoutingException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The {@code notifications} service: listens to {@value #TOPIC}, which {@code orders} publishes
 * when an order went through, and calls {@code pricing} for each order, as a listener of any
 * Spring Kafka application does. isolation-kafka runs the listener in the record's tag, so the
 * call to pricing stays in the record's group; with lanes on, a {@code notifications} instance in
 * {@code feature-cart} is the only one given that group's records.
 */
@Component
@ConditionalOnProperty(name = "spring.application.name", havingValue = "notifications")
public class OrderPlacedListener {

	/** The topic of the event: the record's key is the order, its value who placed it. */
	public static final String TOPIC = "order-placed";

	/** The id of the listener's container. */
	public static final String LISTENER_ID = "notifications-order-placed";

	private static final Log logger = LogFactory.getLog(OrderPlacedListener.class);

	private final String service;

	private final LocalGroup localGroup;

	private final PricingClient pricing;

	private final Map<String, List<String>> routes = new ConcurrentHashMap<>();

	OrderPlacedListener(LocalGroup localGroup, PricingClient pricing) {
		this.service = "notifications";
		this.localGroup = localGroup;
		this.pricing = pricing;
	}

	/**
	 * Notifies of an order: this instance as {@code service@group}, then the route of its call to
	 * pricing, or why that call failed.
	 * @param record the order placed
	 */
	@KafkaListener(id = LISTENER_ID, topics = TOPIC, groupId = "notifications")
	void onOrderPlaced(ConsumerRecord<String, String> record) {
		String self = this.service + "@" + this.localGroup.current().name();
		String route;
		try {
			route = self + " > " + this.pricing.route();
		}
		catch (RuntimeException ex) {
			// The record is done either way: the failure is what this notification shows.
			route = self + " > failed: " + reason(ex);
		}
		this.routes.computeIfAbsent(String.valueOf(record.key()), (order) -> new CopyOnWriteArrayList<>()).add(route);
		logger.info("order " + record.key() + " placed by " + record.value() + ": " + route);
	}

	/**
	 * Where each order's record went, from this instance on.
	 * @param order the record's key
	 * @return the routes of every time this instance processed it, in order; empty if never
	 */
	public List<String> routesOf(String order) {
		return List.copyOf(this.routes.getOrDefault(order, List.of()));
	}

	private static String reason(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IsolationRoutingException routing) {
				return routing.getMessage();
			}
		}
		return ex.getClass().getSimpleName() + ": " + ex.getMessage();
	}

}
