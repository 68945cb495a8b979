package io.github.isolation.autoconfigure.reactive;

import java.util.ArrayList;
import java.util.List;

import io.github.isolation.autoconfigure.edge.EdgeHeaders;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.W3cBaggage;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Reads the isolation tags of a request's headers and replaces them with only the tags decided
 * for it: no {@value IsolationTags#GROUP} or {@value IsolationTags#FAIL_FAST} header or W3C
 * {@code baggage} entry is left but those given (the other {@code baggage} entries are kept).
 * Shared by the reactive server side, the reactive edge and the {@code WebClient} filter.
 *
 * <p>Uses only the header methods that Spring Framework 6.2 and 7 share, so that one jar serves
 * both Spring Boot lines.
 *
 * @since 0.1.0
 */
public final class TagHeaders {

	private TagHeaders() {
	}

	/**
	 * Every value of a header, as received.
	 * @param headers the headers
	 * @param name the header's name, matched ignoring case
	 * @return the values in the order received, empty if absent
	 */
	public static List<String> values(HttpHeaders headers, String name) {
		// Answers the usual case, an absent header, without walking the headers.
		if (headers.getFirst(name) == null) {
			return List.of();
		}
		List<String> values = new ArrayList<>(1);
		headers.forEach((key, received) -> {
			if (key.equalsIgnoreCase(name)) {
				values.addAll(received);
			}
		});
		return values;
	}

	/**
	 * The value of an entry of the W3C {@code baggage} header.
	 * @param headers the headers
	 * @param field the entry's key
	 * @return the decoded value, or {@code null} if there is none
	 */
	public static String w3cEntry(HttpHeaders headers, String field) {
		return W3cBaggage.valueOf(values(headers, W3cBaggage.HEADER), field);
	}

	/**
	 * Whether headers carry exactly the given tags, as single headers, and no W3C entry of them.
	 * @param headers the headers
	 * @param group the group, or {@code null} for none
	 * @param failFast the fail-fast list's header value, or {@code null} for none
	 * @return {@code true} if nothing needs replacing
	 */
	public static boolean carryOnly(HttpHeaders headers, String group, String failFast) {
		return carries(headers, IsolationTags.GROUP, group) && carries(headers, IsolationTags.FAIL_FAST, failFast)
				&& !hasTagEntries(headers);
	}

	/**
	 * Fills headers with the received ones, without their tags, and with the given tags.
	 * @param headers the headers to fill; whatever they hold is removed first
	 * @param received the headers as received
	 * @param group the group, or {@code null} for none
	 * @param failFast the fail-fast list's header value, or {@code null} for none
	 */
	public static void replace(HttpHeaders headers, HttpHeaders received, String group, String failFast) {
		headers.clear();
		received.forEach((name, values) -> {
			if (EdgeHeaders.isTagHeader(name)) {
				return;
			}
			List<String> kept = EdgeHeaders.isBaggageHeader(name) ? EdgeHeaders.withoutTags(values) : values;
			if (!kept.isEmpty()) {
				headers.addAll(name, kept);
			}
		});
		if (group != null) {
			headers.set(IsolationTags.GROUP, group);
		}
		if (failFast != null) {
			headers.set(IsolationTags.FAIL_FAST, failFast);
		}
	}

	/**
	 * A server request with only the given tags ({@link #replace}); a request that already
	 * carries only those is returned as it is.
	 * @param request the request as received
	 * @param group the group, or {@code null} for none
	 * @param failFast the fail-fast list, empty for none
	 * @return the request to hand on
	 */
	public static ServerHttpRequest withTags(ServerHttpRequest request, IsolationGroup group,
			FailFastServices failFast) {
		String groupValue = (group != null) ? group.name() : null;
		String failFastValue = failFast.isEmpty() ? null : failFast.toHeaderValue();
		HttpHeaders received = request.getHeaders();
		if (carryOnly(received, groupValue, failFastValue)) {
			return request;
		}
		return request.mutate().headers((headers) -> replace(headers, received, groupValue, failFastValue)).build();
	}

	private static boolean carries(HttpHeaders headers, String name, String expected) {
		if (expected == null) {
			return headers.getFirst(name) == null;
		}
		return expected.equals(headers.getFirst(name)) && values(headers, name).size() == 1;
	}

	private static boolean hasTagEntries(HttpHeaders headers) {
		List<String> baggage = values(headers, W3cBaggage.HEADER);
		return !baggage.isEmpty() && !EdgeHeaders.withoutTags(baggage).equals(baggage);
	}

}
