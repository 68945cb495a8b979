package io.github.isolation.autoconfigure.edge;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;

/**
 * What the edge decided for a request: the caller's address, the group the request enters with
 * (or none: it goes on untagged, and the instance's own group or stable applies) and the
 * per-request fail-fast list it keeps.
 *
 * @param clientAddress the caller's IP address, through trusted proxies, or {@code null} if
 * unknown
 * @param group the group, or {@code null} for none
 * @param source where the group came from, or {@link Source#NONE}
 * @param failFast the accepted per-request fail-fast list
 * @param trusted whether the caller may send tags (is within {@code isolation.edge.accept-tags-from});
 * debugging aids such as the route header are shown only to such callers
 * @param rule the id of the edge rule that coloured the request when the source is
 * {@link Source#RULE}, else {@code null}
 * @since 0.1.0
 */
public record EdgeDecision(String clientAddress, IsolationGroup group, Source source, FailFastServices failFast,
		boolean trusted, String rule) {

	/**
	 * The request attribute (servlet) or exchange attribute (WebFlux) under which the edge leaves
	 * the decision for the application.
	 */
	public static final String ATTRIBUTE = EdgeDecision.class.getName();

	public EdgeDecision {
		if ((group == null) != (source == Source.NONE)) {
			throw new IllegalArgumentException("a decision has a source exactly when it has a group, but was "
					+ group + " from " + source);
		}
		if ((rule != null) != (source == Source.RULE)) {
			throw new IllegalArgumentException("a decision names a rule exactly when a rule coloured it, but was rule "
					+ rule + " with source " + source);
		}
		failFast = (failFast != null) ? failFast : FailFastServices.NONE;
	}

	/**
	 * A decision that no rule made.
	 * @param clientAddress the caller's IP address, or {@code null} if unknown
	 * @param group the group, or {@code null} for none
	 * @param source where the group came from, not {@link Source#RULE}
	 * @param failFast the accepted per-request fail-fast list
	 * @param trusted whether the caller may send tags
	 */
	public EdgeDecision(String clientAddress, IsolationGroup group, Source source, FailFastServices failFast,
			boolean trusted) {
		this(clientAddress, group, source, failFast, trusted, null);
	}

	/** Where the group of a request came from. */
	public enum Source {

		/** The {@code isolation-group} header or the entry of the W3C {@code baggage} header. */
		HEADER,

		/** The {@code isolation-group} cookie. */
		COOKIE,

		/** The source binding of the caller's address. */
		SOURCE_BINDING,

		/** An edge rule ({@link EdgeDecision#rule()} names it). */
		RULE,

		/** No group. */
		NONE

	}

}
