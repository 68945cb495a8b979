package io.github.isolation.autoconfigure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.ReceivedTags;
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
 * Puts the tag of an incoming request into the tracing baggage for the whole request, read
 * from the wire by the library itself: the single {@value IsolationTags#GROUP} (and
 * {@value IsolationTags#FAIL_FAST}) header first, then the entry of the W3C {@code baggage}
 * header. Tracing propagation alone is not enough: not every bridge reads both forms, and one
 * writes a fail-fast list into the W3C header without percent-encoding its commas, so the next
 * hop would read a shortened list. A request that arrives untagged at an instance of a
 * non-stable group takes that group, so every call it makes, load-balanced or not, carries it.
 * Malformed values are ignored; {@link TagSanitizingFilter} has already hidden them from tracing.
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

	private final RoutingListeners listeners;

	/**
	 * Creates the filter.
	 * @param baggage the tracing baggage
	 * @param localGroup the group of this instance
	 * @param listeners told of every malformed tag dropped
	 */
	public IsolationServletFilter(BaggageManager baggage, LocalGroup localGroup, RoutingListeners listeners) {
		this.baggage = baggage;
		this.localGroup = localGroup;
		this.listeners = listeners;
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
			ReceivedTags received = ReceivedTags.read(request.getHeader(IsolationTags.GROUP),
					request.getHeader(IsolationTags.FAIL_FAST), () -> TagSanitizingFilter.baggage(request),
					this.listeners::rejected);
			IsolationGroup group = received.group();
			if (group == null && current(IsolationTags.GROUP) == null) {
				IsolationGroup local = this.localGroup.current();
				group = local.isStable() ? null : local;
			}
			if (group != null) {
				putInBaggage(IsolationTags.GROUP, group.name(), scopes);
			}
			if (!received.failFast().isEmpty()) {
				putInBaggage(IsolationTags.FAIL_FAST, received.failFastValue(), scopes);
			}
			chain.doFilter(request, response);
		}
		finally {
			for (int i = scopes.size() - 1; i >= 0; i--) {
				scopes.get(i).close();
			}
		}
	}

	private void putInBaggage(String field, String value, List<BaggageInScope> scopes) {
		if (!value.equals(current(field))) {
			scopes.add(this.baggage.createBaggageInScope(field, value));
		}
	}

	private String current(String field) {
		BaggageView view = this.baggage.getBaggage(field);
		String value = (view != null) ? view.get() : null;
		return (value == null || value.isEmpty()) ? null : value;
	}

}
