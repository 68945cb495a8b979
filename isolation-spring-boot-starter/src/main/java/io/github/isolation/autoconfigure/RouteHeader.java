package io.github.isolation.autoconfigure;

import io.github.isolation.autoconfigure.edge.EdgeDecision;
import io.github.isolation.core.IsolationGroup;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The {@value #NAME} response header: the path a request took, one {@code service@group} per
 * hop ({@code a@stable > b@stable > c@feature-x}), for developers reading {@code curl -i}. Off
 * unless {@code isolation.debug.route-header=true}. Each hop's client hands the route its
 * downstream answered with to {@link #recordDownstream(String)}; the hop's
 * {@link RouteHeaderFilter} then answers with its own entry in front. On WebFlux,
 * {@code RouteHeaderWebFilter} and the {@code WebClient} filter do the same through the Reactor
 * context.
 *
 * @since 0.1.0
 */
public final class RouteHeader {

	/** The header's name. */
	public static final String NAME = "isolation-route";

	/** The longest route accepted from a downstream, so that the header cannot grow without bound. */
	public static final int MAX_LENGTH = 2048;

	static final String ATTRIBUTE = RouteHeader.class.getName() + ".downstream";

	private RouteHeader() {
	}

	/**
	 * Keeps the route a downstream call answered with, for the response of the request being
	 * served on this thread. Does nothing outside a request, or when the route header is off
	 * (no {@link RouteHeaderFilter} prepared the request), or for a malformed value.
	 * @param route the downstream's {@value #NAME} header, may be {@code null}
	 */
	public static void recordDownstream(String route) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (route == null || request == null || request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) == null
				|| !isWellFormed(route)) {
			return;
		}
		request.setAttribute(ATTRIBUTE, route, RequestAttributes.SCOPE_REQUEST);
	}

	/**
	 * The header's value for one hop: its own entry, followed by the route its downstream call
	 * answered with, if any.
	 * @param service this hop's service id
	 * @param group the group of the instance that served the hop
	 * @param downstream the downstream's route, or {@code null} or empty for none
	 * @return the value, such as {@code b@stable > c@feature-x}
	 */
	public static String value(String service, IsolationGroup group, String downstream) {
		String self = service + "@" + group;
		return (downstream == null || downstream.isEmpty()) ? self : self + " > " + downstream;
	}

	/**
	 * The header's value for one hop, naming the edge rule that coloured the request there:
	 * {@code gateway@stable[rule:canary-users] > b@feature-x}.
	 * @param service this hop's service id
	 * @param group the group of the instance that served the hop
	 * @param edgeDecision the request's {@link EdgeDecision#ATTRIBUTE} attribute, may be
	 * {@code null} (not an edge)
	 * @param downstream the downstream's route, or {@code null} or empty for none
	 * @return the value
	 */
	public static String value(String service, IsolationGroup group, Object edgeDecision, String downstream) {
		if (edgeDecision instanceof EdgeDecision decision && decision.rule() != null) {
			return value(service + "@" + group + "[rule:" + decision.rule() + "]", downstream);
		}
		return value(service, group, downstream);
	}

	private static String value(String self, String downstream) {
		return (downstream == null || downstream.isEmpty()) ? self : self + " > " + downstream;
	}

	/**
	 * Whether the header must be withheld from the caller: the route names groups and
	 * services, so an edge shows it only to callers it accepts tags from.
	 * @param edgeDecision the request's {@link EdgeDecision#ATTRIBUTE} attribute, may be
	 * {@code null} (not an edge)
	 * @return {@code true} if the caller is outside {@code isolation.edge.accept-tags-from}
	 */
	public static boolean isWithheld(Object edgeDecision) {
		return edgeDecision instanceof EdgeDecision decision && !decision.trusted();
	}

	/**
	 * Whether a route a downstream answered with may be repeated: 1 to {@value #MAX_LENGTH}
	 * printable ASCII characters, so that no caller can grow the header without bound or break
	 * it.
	 * @param route the downstream's {@value #NAME} header
	 * @return {@code true} if it may be repeated
	 */
	public static boolean isWellFormed(String route) {
		if (route.isEmpty() || route.length() > MAX_LENGTH) {
			return false;
		}
		for (int i = 0; i < route.length(); i++) {
			char c = route.charAt(i);
			if (c < 0x20 || c >= 0x7f) {
				return false;
			}
		}
		return true;
	}

}
