package io.github.isolation.autoconfigure.reactive;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Chooses the isolation tag of the {@code WebClient} calls of a Reactor pipeline, whatever the
 * request being served carries:
 *
 * <pre class="code">
 * webClient.get().uri("http://inventory/items").retrieve().bodyToMono(String.class)
 *     .contextWrite(IsolationReactorContext.withGroup("feature-x"));
 * </pre>
 *
 * The tag applies to every call of a {@code @LoadBalanced WebClient.Builder}'s clients made
 * upstream of the {@code contextWrite}, replacing the whole tag (group and fail-fast list) those
 * calls would otherwise carry, whatever tracing or the caller put on the request; the nearest
 * {@code contextWrite} wins. Without such an entry the calls take the tag of the request being
 * served, else this instance's own group.
 *
 * @since 0.1.0
 */
public final class IsolationReactorContext {

	private static final String KEY = IsolationReactorContext.class.getName() + ".tag";

	private static final String REQUEST_KEY = IsolationReactorContext.class.getName() + ".request";

	private IsolationReactorContext() {
	}

	/**
	 * Routes the calls of the pipeline to a group, with no fail-fast list; {@code stable} routes
	 * them to stable instances even while serving a tagged request.
	 * @param group the group's name
	 * @return the function to hand to {@code contextWrite}
	 * @throws IllegalArgumentException if the name is not a valid group name
	 */
	public static Function<Context, Context> withGroup(String group) {
		return withTag(new IsolationTag(IsolationGroup.of(group), FailFastServices.NONE));
	}

	/**
	 * Gives the calls of the pipeline a tag: a group and the services that must not fall back.
	 * @param tag the tag
	 * @return the function to hand to {@code contextWrite}
	 */
	public static Function<Context, Context> withTag(IsolationTag tag) {
		Objects.requireNonNull(tag, "tag must not be null");
		return (context) -> context.put(KEY, tag);
	}

	/**
	 * The tag chosen for a pipeline.
	 * @param context the pipeline's Reactor context
	 * @return the tag, or empty if none was chosen
	 */
	public static Optional<IsolationTag> tag(ContextView context) {
		return context.getOrEmpty(KEY);
	}

	/**
	 * Records the tag of the WebFlux request being served, as the server took it from the wire.
	 * @param tag the tag
	 * @return the function to hand to {@code contextWrite}
	 */
	static Function<Context, Context> withRequestTag(IsolationTag tag) {
		return (context) -> context.put(REQUEST_KEY, tag);
	}

	/**
	 * The tag of the WebFlux request being served.
	 * @param context the pipeline's Reactor context
	 * @return the tag, or empty if the request carried none (or none is being served)
	 */
	static Optional<IsolationTag> requestTag(ContextView context) {
		return context.getOrEmpty(REQUEST_KEY);
	}

}
