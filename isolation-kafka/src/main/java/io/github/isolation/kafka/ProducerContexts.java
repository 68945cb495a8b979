package io.github.isolation.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.isolation.autoconfigure.IsolationContext;

/**
 * The isolation contexts of the applications running in this JVM, by the id that their
 * producers' configuration names ({@value IsolationProducerInterceptor#CONTEXT_ID_CONFIG}).
 * Kafka makes a producer interceptor itself, from a class name and string properties, so it
 * cannot be handed a Spring bean: it finds its application's context here instead, at each
 * record, so that it works whether the producer is made before or after the context is
 * registered. Several applications in one JVM (tests, the demo) each have their own id.
 *
 * @since 0.1.0
 */
public final class ProducerContexts {

	private static final Map<String, IsolationContext> CONTEXTS = new ConcurrentHashMap<>();

	private ProducerContexts() {
	}

	/**
	 * Registers an application's context.
	 * @param id the id its producers are configured with
	 * @param context the context
	 * @return removes the registration again
	 */
	public static AutoCloseable register(String id, IsolationContext context) {
		CONTEXTS.put(id, context);
		return () -> CONTEXTS.remove(id, context);
	}

	/**
	 * The context registered under an id; without an id, the only context registered, so that a
	 * producer configured by hand with just the interceptor class works in a JVM with one
	 * application.
	 * @param id the id, or {@code null}
	 * @return the context, or {@code null} if there is none, or no id and more than one
	 */
	static IsolationContext find(String id) {
		if (id != null) {
			return CONTEXTS.get(id);
		}
		if (CONTEXTS.size() == 1) {
			return CONTEXTS.values().stream().findFirst().orElse(null);
		}
		return null;
	}

}
