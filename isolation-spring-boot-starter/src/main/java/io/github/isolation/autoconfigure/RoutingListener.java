package io.github.isolation.autoconfigure;

import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.TagRejection;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Hears every routing decision and every tag dropped because it was malformed: what meters,
 * the actuator endpoint and logs are built on. Called on the request's thread, so
 * implementations must be quick and must not block; one that throws is logged and never
 * breaks the call. Register one as a bean to add your own.
 *
 * @since 0.1.0
 */
public interface RoutingListener {

	/**
	 * A call was routed, or refused.
	 * @param decision the decision
	 */
	default void decided(RouteDecision<ServiceInstance> decision) {
	}

	/**
	 * A tag received from the network was dropped.
	 * @param field the baggage field or header, {@code isolation-group} or {@code isolation-fail-fast}
	 * @param reason why it was dropped
	 */
	default void rejected(String field, TagRejection reason) {
	}

}
