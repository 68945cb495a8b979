package io.github.isolation.autoconfigure;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.github.isolation.autoconfigure.edge.EdgeDecision;

import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Answers every request with the {@value RouteHeader#NAME} header: this hop's
 * {@code service@group}, followed by the route of the downstream call it made, if any. The
 * response body is held back until the handler is done, since the header must precede it: this
 * is a debugging aid, off by default, not for streaming responses. At an edge, a caller outside
 * {@code isolation.edge.accept-tags-from} never gets the header.
 *
 * @since 0.1.0
 */
public class RouteHeaderFilter extends OncePerRequestFilter implements Ordered {

	private final String service;

	private final LocalGroup localGroup;

	/**
	 * Creates the filter.
	 * @param service this application's service id
	 * @param localGroup the group of this instance
	 */
	public RouteHeaderFilter(String service, LocalGroup localGroup) {
		this.service = service;
		this.localGroup = localGroup;
	}

	@Override
	public int getOrder() {
		return IsolationServletFilter.ORDER + 1;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// Marks the request as one whose downstream routes are wanted; see RouteHeader.recordDownstream.
		request.setAttribute(RouteHeader.ATTRIBUTE, "");
		ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
		try {
			chain.doFilter(request, held);
		}
		finally {
			if (!RouteHeader.isWithheld(request.getAttribute(EdgeDecision.ATTRIBUTE))) {
				response.setHeader(RouteHeader.NAME, RouteHeader.value(this.service, this.localGroup.current(),
						request.getAttribute(EdgeDecision.ATTRIBUTE), (String) request.getAttribute(RouteHeader.ATTRIBUTE)));
			}
			held.copyBodyToResponse();
		}
	}

}
