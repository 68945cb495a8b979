package io.github.isolation.autoconfigure.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.github.isolation.core.IsolationRoutingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers a refused call that propagated out of a servlet handler, a controller or a Spring
 * Cloud Gateway Server Web MVC route, with {@link RefusedCallProblem}. Runs last of the
 * resolvers: the application's own {@code @ExceptionHandler} and {@code @ControllerAdvice}
 * (Spring MVC's resolvers, order 0) have handled the exception first if they wanted it.
 *
 * @since 0.1.0
 */
public class RefusedCallExceptionResolver implements HandlerExceptionResolver, Ordered {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		IsolationRoutingException refused = RefusedCallProblem.find(ex);
		if (refused == null || response.isCommitted()) {
			return null;
		}
		try {
			response.resetBuffer();
			response.setStatus(RefusedCallProblem.STATUS);
			response.setContentType(RefusedCallProblem.CONTENT_TYPE);
			byte[] body = RefusedCallProblem.json(refused).getBytes(StandardCharsets.US_ASCII);
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
		}
		catch (IOException ignored) {
			// The client went away: there is no one left to answer.
		}
		return new ModelAndView();
	}

}
