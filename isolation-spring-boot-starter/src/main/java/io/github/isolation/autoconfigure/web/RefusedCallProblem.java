package io.github.isolation.autoconfigure.web;

import java.util.Set;
import java.util.TreeSet;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.RouteOutcome;

/**
 * A call the routing rule refused, as the HTTP answer of the handler it propagated out of:
 * {@code 503 Service Unavailable} with an RFC 9457 problem detail, so that a client, a browser
 * or a test runner reads why instead of a bare server error. Every value in it was validated
 * or built by the library (the message quotes the service id escaped); nothing is echoed from
 * the request.
 *
 * <pre>
 * {"type":"urn:isolation:fail-fast","title":"Fail-fast service without an instance in the group",
 *  "status":503,"detail":"No instance of 'inventory' in isolation group 'feature-x' and ...",
 *  "service":"inventory","group":"feature-x","outcome":"fail-fast","availableGroups":["stable"]}
 * </pre>
 *
 * @since 0.1.0
 */
public final class RefusedCallProblem {

	/** The status of a refused call, the one Spring Cloud's load balancer answers for no instance. */
	public static final int STATUS = 503;

	/** The media type of the body. */
	public static final String CONTENT_TYPE = "application/problem+json";

	// A cause chain deeper than this is not one a client library built around a refusal.
	private static final int MAX_DEPTH = 16;

	private RefusedCallProblem() {
	}

	/**
	 * The refusal behind an exception, if there is one: the exception itself or one of its
	 * causes, since clients wrap what the load balancer throws (a {@code RestClientException},
	 * a {@code FeignException}, a Reactor error).
	 * @param failure what a handler threw
	 * @return the refusal, or {@code null} if the failure is not one
	 */
	public static IsolationRoutingException find(Throwable failure) {
		Throwable current = failure;
		for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
			if (current instanceof IsolationRoutingException refused) {
				return refused;
			}
			current = (current.getCause() != current) ? current.getCause() : null;
		}
		return null;
	}

	/**
	 * The problem detail of a refusal, as JSON.
	 * @param refused the refusal
	 * @return the body
	 */
	public static String json(IsolationRoutingException refused) {
		boolean failFast = refused.getOutcome() == RouteOutcome.FAIL_FAST;
		String outcome = failFast ? "fail-fast" : "no-instance";
		String title = failFast ? "Fail-fast service without an instance in the group"
				: "No instance for the isolation group";
		Set<String> available = new TreeSet<>();
		for (IsolationGroup group : refused.getAvailableGroups()) {
			available.add(group.name());
		}
		StringBuilder json = new StringBuilder(512).append('{');
		field(json, "type", "urn:isolation:" + outcome).append(',');
		field(json, "title", title).append(',');
		json.append("\"status\":").append(STATUS).append(',');
		field(json, "detail", refused.getMessage()).append(',');
		field(json, "service", refused.getServiceId()).append(',');
		field(json, "group", refused.getRequestedGroup().name()).append(',');
		field(json, "outcome", outcome).append(",\"availableGroups\":[");
		String separator = "";
		for (String group : available) {
			string(json.append(separator), group);
			separator = ",";
		}
		return json.append("]}").toString();
	}

	private static StringBuilder field(StringBuilder json, String name, String value) {
		return string(string(json, name).append(':'), value);
	}

	// Anything outside printable ASCII is escaped, so the body is ASCII whatever a value holds.
	private static StringBuilder string(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c >= 0x20 && c < 0x7f) {
				json.append(c);
			}
			else {
				json.append(String.format("\\u%04x", (int) c));
			}
		}
		return json.append('"');
	}

}
