package io.github.isolation.autoconfigure.edge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.github.isolation.autoconfigure.reactive.TagHeaders;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Colours requests entering the system at a WebFlux application (Spring Cloud Gateway Server
 * WebFlux included), by {@link EdgePolicy}, and hides every tag it did not accept, as the
 * servlet edge filter does: the rest of the server, tracing's server observation included, sees
 * the request without the tags it received and with only the {@code isolation-group} (and
 * accepted {@code isolation-fail-fast}) header decided, so tracing never extracts an untrusted
 * tag into the baggage. The decision is also left in the exchange attribute
 * {@link EdgeDecision#ATTRIBUTE}.
 *
 * <p>WebFlux starts the server observation ahead of every {@code WebFilter}, so the decision is
 * made where the whole {@link HttpHandler} is decorated, before anything else (this bean is an
 * {@link HttpHandlerDecoratorFactory} of the highest precedence, which makes it the outermost
 * decorator); it reaches the exchange through the Reactor context, by way of this bean's
 * {@link WebFilter} side, which runs first of all filters.
 *
 * @since 0.1.0
 */
public class IsolationEdgeWebFilter implements HttpHandlerDecoratorFactory, WebFilter, Ordered {

	/** Outermost of the HTTP handler decorators, and first of the web filters. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

	private final EdgePolicy policy;

	/**
	 * Creates the filter.
	 * @param policy decides the group of each request
	 */
	public IsolationEdgeWebFilter(EdgePolicy policy) {
		this.policy = policy;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			EdgeDecision decision = this.policy.decide(new ReactiveEdgeRequest(request));
			return handler.handle(TagHeaders.withTags(request, decision.group(), decision.failFast()), response)
				.contextWrite((context) -> context.put(EdgeDecision.ATTRIBUTE, decision));
		};
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return Mono.deferContextual((context) -> {
			context.<EdgeDecision>getOrEmpty(EdgeDecision.ATTRIBUTE)
				.ifPresent((decision) -> exchange.getAttributes().put(EdgeDecision.ATTRIBUTE, decision));
			return chain.filter(exchange);
		});
	}

	private record ReactiveEdgeRequest(ServerHttpRequest request) implements EdgeRequest {

		@Override
		public String remoteAddress() {
			InetSocketAddress peer = this.request.getRemoteAddress();
			InetAddress address = (peer != null) ? peer.getAddress() : null;
			return (address != null) ? address.getHostAddress() : null;
		}

		@Override
		public List<String> headers(String name) {
			return TagHeaders.values(this.request.getHeaders(), name);
		}

		@Override
		public List<String> cookies(String name) {
			List<HttpCookie> cookies = this.request.getCookies().get(name);
			if (cookies == null) {
				return List.of();
			}
			List<String> values = new ArrayList<>(cookies.size());
			for (HttpCookie cookie : cookies) {
				values.add(cookie.getValue());
			}
			return values;
		}

		@Override
		public String path() {
			return this.request.getURI().getRawPath();
		}

		@Override
		public String method() {
			return this.request.getMethod().name();
		}

		@Override
		public String rawQuery() {
			return this.request.getURI().getRawQuery();
		}

	}

}
