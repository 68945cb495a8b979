package io.github.isolation.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.autoconfigure.RoutingListeners;

/**
 * What the Kafka interceptors need of the applications running in this JVM, by the id that their
 * producers' and consumers' configuration names
 * ({@value IsolationProducerInterceptor#CONTEXT_ID_CONFIG}). Kafka makes an interceptor itself,
 * from a class name and string properties, so it cannot be handed a Spring bean: it finds its
 * application here instead, at each record, so that it works whether the client is made before
 * or after the application is registered. Several applications in one JVM (tests, the demo) each
 * have their own id.
 *
 * @since 0.1.0
 */
public final class InterceptorContexts {

	private static final Map<String, Application> CONTEXTS = new ConcurrentHashMap<>();

	private InterceptorContexts() {
	}

	/**
	 * Registers an application.
	 * @param id the id its clients are configured with
	 * @param context its isolation context, which gives the tag of a record sent
	 * @param listeners told of every malformed tag a record brings
	 * @return removes the registration again
	 */
	public static AutoCloseable register(String id, IsolationContext context, RoutingListeners listeners) {
		Application application = new Application(context, listeners);
		CONTEXTS.put(id, application);
		return () -> CONTEXTS.remove(id, application);
	}

	/**
	 * The application registered under an id; without an id, the only one registered, so that a
	 * client configured by hand with just the interceptor class works in a JVM with one
	 * application.
	 * @param id the id, or {@code null}
	 * @return the application, or {@code null} if there is none, or no id and more than one
	 */
	static Application find(String id) {
		if (id != null) {
			return CONTEXTS.get(id);
		}
		if (CONTEXTS.size() == 1) {
			return CONTEXTS.values().stream().findFirst().orElse(null);
		}
		return null;
	}

	/**
	 * A registered application.
	 * @param context its isolation context
	 * @param listeners its routing listeners
	 */
	record Application(IsolationContext context, RoutingListeners listeners) {
	}

}
