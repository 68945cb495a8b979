package io.github.isolation.autoconfigure.reactive;

import java.util.concurrent.atomic.AtomicReference;

import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.autoconfigure.RouteHeader;
import io.github.isolation.autoconfigure.edge.EdgeDecision;
import io.github.isolation.autoconfigure.edge.IsolationEdgeWebFilter;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.core.Ordered;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The {@value RouteHeader#NAME} response header on WebFlux: this hop's {@code service@group},
 * followed by the route that the last {@code @LoadBalanced WebClient} call made while serving
 * the request answered with, if any. The header is written as the response commits, so the
 * body is not held back; a call still running when the response commits is not in it. At an
 * edge, a caller outside {@code isolation.edge.accept-tags-from} never gets the header.
 *
 * @since 0.1.0
 */
public class RouteHeaderWebFilter implements WebFilter, Ordered {

	/** The Reactor context key under which the route of a downstream call is kept. */
	static final String DOWNSTREAM = RouteHeaderWebFilter.class.getName() + ".downstream";

	private final String service;

	private final LocalGroup localGroup;

	/**
	 * Creates the filter.
	 * @param service this application's service id
	 * @param localGroup the group of this instance
	 */
	public RouteHeaderWebFilter(String service, LocalGroup localGroup) {
		this.service = service;
		this.localGroup = localGroup;
	}

	@Override
	public int getOrder() {
		return IsolationEdgeWebFilter.ORDER + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		AtomicReference<String> downstream = new AtomicReference<>();
		exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> {
			if (!RouteHeader.isWithheld(exchange.getAttribute(EdgeDecision.ATTRIBUTE))) {
				exchange.getResponse()
					.getHeaders()
					.set(RouteHeader.NAME, RouteHeader.value(this.service, this.localGroup.current(),
							exchange.getAttribute(EdgeDecision.ATTRIBUTE), downstream.get()));
			}
		}));
		return chain.filter(exchange).contextWrite((context) -> context.put(DOWNSTREAM, downstream));
	}

	/**
	 * Makes a downstream call's response hand its route to the request whose pipeline the
	 * context belongs to. Where the route header is off, the response is returned as it is, so
	 * that calls pay nothing for it; a malformed route is ignored.
	 * @param response the downstream call's response
	 * @param context the Reactor context of the call
	 * @return the response, recording its {@value RouteHeader#NAME} header where that is wanted
	 */
	static Mono<ClientResponse> recordingRoute(Mono<ClientResponse> response, ContextView context) {
		AtomicReference<String> downstream = context.getOrDefault(DOWNSTREAM, null);
		if (downstream == null) {
			return response;
		}
		return response.doOnNext((received) -> {
			String route = received.headers().asHttpHeaders().getFirst(RouteHeader.NAME);
			if (route != null && RouteHeader.isWellFormed(route)) {
				downstream.set(route);
			}
		});
	}

}
