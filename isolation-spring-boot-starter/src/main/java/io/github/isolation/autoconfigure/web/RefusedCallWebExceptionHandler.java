package io.github.isolation.autoconfigure.web;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import io.github.isolation.core.IsolationRoutingException;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers a refused call that propagated out of a WebFlux handler or a Spring Cloud Gateway
 * Server WebFlux route with {@link RefusedCallProblem}. An {@code @ExceptionHandler} of the
 * application handles the exception before any {@code WebExceptionHandler} sees it; this one
 * runs just before Spring Boot's error handler ({@value #ORDER}), so that a handler of the
 * application ordered before it still wins.
 *
 * @since 0.1.0
 */
public class RefusedCallWebExceptionHandler implements WebExceptionHandler, Ordered {

	/** Just before Spring Boot's {@code ErrorWebExceptionHandler}, at -1. */
	public static final int ORDER = -2;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		IsolationRoutingException refused = RefusedCallProblem.find(ex);
		ServerHttpResponse response = exchange.getResponse();
		if (refused == null || response.isCommitted()) {
			return Mono.error(ex);
		}
		response.setStatusCode(HttpStatus.valueOf(RefusedCallProblem.STATUS));
		response.getHeaders().set("Content-Type", RefusedCallProblem.CONTENT_TYPE);
		DataBuffer body = response.bufferFactory()
			.wrap(RefusedCallProblem.json(refused).getBytes(StandardCharsets.US_ASCII));
		return response.writeWith(Mono.just(body));
	}

}
