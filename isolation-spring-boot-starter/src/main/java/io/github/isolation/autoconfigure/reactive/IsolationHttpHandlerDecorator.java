package io.github.isolation.autoconfigure.reactive;

import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.ReceivedTags;
import io.github.isolation.core.W3cBaggage;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;

/**
 * The WebFlux counterpart of the servlet filter: takes the tag of an incoming request from the
 * wire, the single {@value IsolationTags#GROUP} (and {@value IsolationTags#FAIL_FAST}) header
 * first, then the entry of the W3C {@code baggage} header, and makes it the request's tag for
 * every call the request makes. A request that arrives untagged at an instance of a non-stable
 * group takes that group. Malformed values are dropped, told to {@link RoutingListeners}, and
 * never fail the request.
 *
 * <p>WebFlux starts the server observation, and so extracts the baggage, ahead of every
 * {@code WebFilter}; and baggage set on a span from reactive code lasts only as long as a scope
 * that must be closed on the thread that opened it. So this decorates the whole
 * {@link HttpHandler} instead, and hands on the request with the received tags replaced by
 * single headers holding the tag taken ({@link TagHeaders#withTags}): tracing then extracts
 * exactly that tag into the baggage, where blocking clients and tracing's own propagation find
 * it. The tag also goes into the Reactor context of the request, where the {@code WebClient}
 * filter finds it even when the baggage is out of its reach (a client without an observation
 * registry hides the server's observation from its filters), or when no tracer is configured.
 * A request whose headers already read so is handed on unchanged.
 *
 * @since 0.1.0
 */
public class IsolationHttpHandlerDecorator implements HttpHandlerDecoratorFactory, Ordered {

	/** Inside the reactive edge's decorator, so that it sees only the tags the edge accepted. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final LocalGroup localGroup;

	private final RoutingListeners listeners;

	/**
	 * Creates the decorator.
	 * @param localGroup the group of this instance
	 * @param listeners told of every malformed tag dropped
	 */
	public IsolationHttpHandlerDecorator(LocalGroup localGroup, RoutingListeners listeners) {
		this.localGroup = localGroup;
		this.listeners = listeners;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			HttpHeaders headers = request.getHeaders();
			ReceivedTags received = ReceivedTags.read(headers.getFirst(IsolationTags.GROUP),
					headers.getFirst(IsolationTags.FAIL_FAST), () -> TagHeaders.values(headers, W3cBaggage.HEADER),
					this.listeners::rejected);
			IsolationGroup group = received.group();
			if (group == null) {
				IsolationGroup local = this.localGroup.current();
				group = local.isStable() ? null : local;
			}
			FailFastServices failFast = received.failFast();
			Mono<Void> handled = handler.handle(TagHeaders.withTags(request, group, failFast), response);
			if (group == null && failFast.isEmpty()) {
				return handled;
			}
			IsolationTag tag = new IsolationTag((group != null) ? group : IsolationGroup.STABLE, failFast);
			return handled.contextWrite(IsolationReactorContext.withRequestTag(tag));
		};
	}

}
