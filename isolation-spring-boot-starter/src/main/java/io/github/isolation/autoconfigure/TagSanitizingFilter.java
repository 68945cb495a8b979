package io.github.isolation.autoconfigure;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import io.github.isolation.autoconfigure.edge.EdgeHeaders;
import io.github.isolation.autoconfigure.edge.EdgeRequestWrapper;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.ReceivedTags;
import io.github.isolation.core.W3cBaggage;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hides from the application and its tracing every tag this instance rejects: the rest of the
 * filter chain, tracing's server observation included, sees the request with the tags it
 * accepts ({@link ReceivedTags}) as single headers, and with no other {@value IsolationTags#GROUP}
 * or {@value IsolationTags#FAIL_FAST} header or W3C {@code baggage} entry. Without this, tracing
 * extracts a value the library refused into the baggage and sends it on, and the next hop may
 * read it differently: {@code feature-x;p} is malformed as a header but is {@code feature-x}
 * with a property as a W3C entry. A request that carries only accepted single headers is handed
 * on as it is.
 *
 * <p>Runs first of all filters, before the server observation filter, which extracts the
 * baggage. An edge ({@code isolation.edge.enabled=true}) does this with its own decision
 * instead.
 *
 * @since 0.1.0
 */
public class TagSanitizingFilter extends OncePerRequestFilter implements Ordered {

	/** Before Spring's {@code ServerHttpObservationFilter}, which extracts the baggage. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

	private final RoutingListeners listeners;

	/**
	 * Creates the filter.
	 * @param listeners told of every malformed tag dropped
	 */
	public TagSanitizingFilter(RoutingListeners listeners) {
		this.listeners = listeners;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ReceivedTags received = ReceivedTags.read(request.getHeader(IsolationTags.GROUP),
				request.getHeader(IsolationTags.FAIL_FAST), () -> baggage(request), this.listeners::rejected);
		boolean asAccepted = carriesOnly(request, IsolationTags.GROUP, received.groupValue())
				&& carriesOnly(request, IsolationTags.FAIL_FAST, received.failFastValue()) && !hasTagEntries(request);
		chain.doFilter(asAccepted ? request
				: new EdgeRequestWrapper(request, received.group(), received.failFast()), response);
	}

	static List<String> baggage(HttpServletRequest request) {
		Enumeration<String> values = request.getHeaders(W3cBaggage.HEADER);
		return (values != null) ? Collections.list(values) : List.of();
	}

	private static boolean carriesOnly(HttpServletRequest request, String name, String accepted) {
		String first = request.getHeader(name);
		if (first == null || accepted == null) {
			return first == accepted;
		}
		Enumeration<String> values = request.getHeaders(name);
		values.nextElement();
		return first.equals(accepted) && !values.hasMoreElements();
	}

	private static boolean hasTagEntries(HttpServletRequest request) {
		if (request.getHeader(W3cBaggage.HEADER) == null) {
			return false;
		}
		List<String> baggage = baggage(request);
		return !EdgeHeaders.withoutTags(baggage).equals(baggage);
	}

}
