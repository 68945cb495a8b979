package io.github.isolation.autoconfigure;

import java.util.List;
import java.util.function.Consumer;

import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.TagRejection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Tells every {@link RoutingListener} bean in turn; a listener that throws is logged and the others
 * still hear the event.
 *
 * @since 0.1.0
 */
public final class RoutingListeners {

	/** No listener. */
	public static final RoutingListeners NONE = new RoutingListeners(List.of());

	private static final Log logger = LogFactory.getLog(RoutingListeners.class);

	private final List<RoutingListener> listeners;

	/**
	 * Creates the composite.
	 * @param listeners the listeners, in the order they are told
	 */
	public RoutingListeners(List<RoutingListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * Tells each listener of a decision.
	 * @param decision the decision
	 */
	public void decided(RouteDecision<ServiceInstance> decision) {
		tellEach((listener) -> listener.decided(decision));
	}

	/**
	 * Tells each listener of a dropped tag.
	 * @param field the field
	 * @param reason why it was dropped
	 */
	public void rejected(String field, TagRejection reason) {
		tellEach((listener) -> listener.rejected(field, reason));
	}

	/**
	 * A callback for tag parsers that reports rejections of one field.
	 * @param field the field
	 * @return the callback
	 */
	public Consumer<TagRejection> rejectionsOf(String field) {
		return (reason) -> rejected(field, reason);
	}

	private void tellEach(Consumer<RoutingListener> event) {
		for (RoutingListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Routing listener " + listener + " failed; the call goes on", ex);
			}
		}
	}

}
