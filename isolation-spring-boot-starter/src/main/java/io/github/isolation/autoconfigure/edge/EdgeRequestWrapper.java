package io.github.isolation.autoconfigure.edge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request as the edge, or an instance's own check of the tags it receives, lets the
 * application and its tracing see it: without the tags it received ({@link EdgeHeaders}), and
 * with {@value IsolationTags#GROUP} and {@value IsolationTags#FAIL_FAST} headers holding only
 * what was accepted, if anything.
 *
 * @since 0.1.0
 */
public class EdgeRequestWrapper extends HttpServletRequestWrapper {

	private final String group;

	private final String failFast;

	/**
	 * Wraps a request.
	 * @param request the request as received
	 * @param decision what the edge decided for it
	 */
	public EdgeRequestWrapper(HttpServletRequest request, EdgeDecision decision) {
		this(request, decision.group(), decision.failFast());
	}

	/**
	 * Wraps a request.
	 * @param request the request as received
	 * @param group the group to present, or {@code null} for none
	 * @param failFast the fail-fast list to present, empty for none
	 */
	public EdgeRequestWrapper(HttpServletRequest request, IsolationGroup group, FailFastServices failFast) {
		super(request);
		this.group = (group != null) ? group.name() : null;
		this.failFast = failFast.isEmpty() ? null : failFast.toHeaderValue();
	}

	@Override
	public String getHeader(String name) {
		List<String> values = values(name);
		return values.isEmpty() ? null : values.get(0);
	}

	@Override
	public Enumeration<String> getHeaders(String name) {
		return Collections.enumeration(values(name));
	}

	@Override
	public Enumeration<String> getHeaderNames() {
		Set<String> names = new LinkedHashSet<>();
		for (String name : Collections.list(super.getHeaderNames())) {
			if (!EdgeHeaders.isTagHeader(name) && !values(name).isEmpty()) {
				names.add(name);
			}
		}
		if (this.group != null) {
			names.add(IsolationTags.GROUP);
		}
		if (this.failFast != null) {
			names.add(IsolationTags.FAIL_FAST);
		}
		return Collections.enumeration(names);
	}

	@Override
	public long getDateHeader(String name) {
		return EdgeHeaders.isTagHeader(name) || EdgeHeaders.isBaggageHeader(name) ? -1 : super.getDateHeader(name);
	}

	@Override
	public int getIntHeader(String name) {
		return EdgeHeaders.isTagHeader(name) || EdgeHeaders.isBaggageHeader(name) ? -1 : super.getIntHeader(name);
	}

	private List<String> values(String name) {
		if (IsolationTags.GROUP.equalsIgnoreCase(name)) {
			return (this.group != null) ? List.of(this.group) : List.of();
		}
		if (IsolationTags.FAIL_FAST.equalsIgnoreCase(name)) {
			return (this.failFast != null) ? List.of(this.failFast) : List.of();
		}
		Enumeration<String> received = super.getHeaders(name);
		List<String> values = (received != null) ? Collections.list(received) : new ArrayList<>();
		return EdgeHeaders.isBaggageHeader(name) ? EdgeHeaders.withoutTags(values) : values;
	}

}
