package io.github.isolation.autoconfigure.edge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Colours requests entering the system at a servlet application, by {@link EdgePolicy}, and
 * hides every tag it did not accept: the rest of the filter chain, tracing's server observation
 * included, sees the request through an {@link EdgeRequestWrapper}, so tracing never extracts an
 * untrusted tag into the baggage. The decision is also left in the request attribute
 * {@link EdgeDecision#ATTRIBUTE}.
 *
 * <p>Runs first of all filters, before the server observation filter.
 *
 * @since 0.1.0
 */
public class IsolationEdgeServletFilter extends OncePerRequestFilter implements Ordered {

	/** Before Spring's {@code ServerHttpObservationFilter}, which extracts the baggage. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

	private final EdgePolicy policy;

	/**
	 * Creates the filter.
	 * @param policy decides the group of each request
	 */
	public IsolationEdgeServletFilter(EdgePolicy policy) {
		this.policy = policy;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		EdgeDecision decision = this.policy.decide(new ServletEdgeRequest(request));
		request.setAttribute(EdgeDecision.ATTRIBUTE, decision);
		chain.doFilter(new EdgeRequestWrapper(request, decision), response);
	}

	private record ServletEdgeRequest(HttpServletRequest request) implements EdgeRequest {

		@Override
		public String remoteAddress() {
			return this.request.getRemoteAddr();
		}

		@Override
		public List<String> headers(String name) {
			return Collections.list(this.request.getHeaders(name));
		}

		@Override
		public List<String> cookies(String name) {
			Cookie[] cookies = this.request.getCookies();
			if (cookies == null) {
				return List.of();
			}
			List<String> values = new ArrayList<>(1);
			for (Cookie cookie : cookies) {
				if (name.equals(cookie.getName())) {
					values.add(cookie.getValue());
				}
			}
			return values;
		}

		@Override
		public String path() {
			return this.request.getRequestURI();
		}

		@Override
		public String method() {
			return this.request.getMethod();
		}

		@Override
		public String rawQuery() {
			return this.request.getQueryString();
		}

	}

}
