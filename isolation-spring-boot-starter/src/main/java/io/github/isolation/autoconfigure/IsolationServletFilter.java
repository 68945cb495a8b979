package io.github.isolation.autoconfigure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.W3cBaggage;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.BaggageManager;
import io.micrometer.tracing.BaggageView;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes sure the tag of an incoming request is in the tracing baggage for the whole request,
 * whatever form it arrived in: the single {@value IsolationTags#GROUP} header or an entry of the
 * W3C {@code baggage} header (tracing propagation does not read both forms with every bridge).
 * A request that arrives untagged at an instance of a non-stable group takes that group, so
 * every call it makes, load-balanced or not, carries it. Malformed values are ignored.
 *
 * <p>Runs just after the server observation filter, which makes the request's trace context
 * current.
 *
 * @since 0.1.0
 */
public class IsolationServletFilter extends OncePerRequestFilter implements Ordered {

	/** Just after Spring's {@code ServerHttpObservationFilter}. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final BaggageManager baggage;

	private final LocalGroup localGroup;

	/**
	 * Creates the filter.
	 * @param baggage the tracing baggage
	 * @param localGroup the group of this instance
	 */
	public IsolationServletFilter(BaggageManager baggage, LocalGroup localGroup) {
		this.baggage = baggage;
		this.localGroup = localGroup;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		List<BaggageInScope> scopes = new ArrayList<>(2);
		try {
			if (isAbsent(IsolationTags.GROUP)) {
				IsolationGroup group = IsolationGroup.parse(received(request, IsolationTags.GROUP))
					.orElseGet(this.localGroup::current);
				if (!group.isStable()) {
					scopes.add(this.baggage.createBaggageInScope(IsolationTags.GROUP, group.name()));
				}
			}
			if (isAbsent(IsolationTags.FAIL_FAST)) {
				FailFastServices failFast = FailFastServices.parse(received(request, IsolationTags.FAIL_FAST),
						(rejection) -> {
						});
				if (!failFast.isEmpty()) {
					scopes.add(this.baggage.createBaggageInScope(IsolationTags.FAIL_FAST, failFast.toHeaderValue()));
				}
			}
			chain.doFilter(request, response);
		}
		finally {
			for (int i = scopes.size() - 1; i >= 0; i--) {
				scopes.get(i).close();
			}
		}
	}

	private boolean isAbsent(String field) {
		BaggageView view = this.baggage.getBaggage(field);
		String value = (view != null) ? view.get() : null;
		return value == null || value.isEmpty();
	}

	private static String received(HttpServletRequest request, String field) {
		String single = request.getHeader(field);
		return (single != null) ? single
				: W3cBaggage.valueOf(Collections.list(request.getHeaders(W3cBaggage.HEADER)), field);
	}

}
