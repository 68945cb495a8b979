package io.github.isolation.autoconfigure.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.TagRejection;
import io.github.isolation.core.W3cBaggage;

/**
 * Decides the group of a request entering the system, by the first of these that gives one: the
 * {@value IsolationTags#GROUP} header or the entry of the W3C {@code baggage} header, the
 * {@value IsolationTags#GROUP} cookie, the source binding of the caller's address
 * ({@link GroupBindings#sourceGroup(String)}); else none, and the request goes on untagged.
 *
 * <p>A tag (header, baggage entry or cookie) is dropped, told to
 * {@link RoutingListeners#rejected(String, TagRejection)} and the next source tried, when the
 * caller is not in {@code accept-tags-from} ({@link TagRejection#UNTRUSTED_SOURCE}), when it
 * is malformed, or when it names a group outside {@code allowed-groups}
 * ({@link TagRejection#GROUP_NOT_ALLOWED}); a source binding to a group outside
 * {@code allowed-groups} is dropped the same way. The per-request fail-fast list (header or
 * baggage entry) is kept only from a caller in {@code accept-tags-from}.
 *
 * <p>The caller's address is the peer's, unless the peer is in {@code trusted-proxies}: then the
 * {@code Forwarded} {@code for=} (else {@code X-Forwarded-For}) hops are walked from the last
 * one back, and the first that is not a trusted proxy is the caller. A malformed or obfuscated
 * hop stops the walk at the proxy that added it. Never throws, and never asks DNS.
 *
 * @since 0.1.0
 */
public class EdgePolicy {

	/** The header that proxies append the addresses they forward for to. */
	public static final String X_FORWARDED_FOR = "X-Forwarded-For";

	/** The RFC 7239 forwarding header. */
	public static final String FORWARDED = "Forwarded";

	// Bounds the work on a hostile forwarding header: real chains of proxies are short.
	private static final int MAX_HOPS = 32;

	private static final int MAX_FORWARDED_LENGTH = 4096;

	private final AddressRanges trustedProxies;

	private final AddressRanges acceptTagsFrom;

	private final AllowedGroups allowedGroups;

	private final GroupBindings bindings;

	private final RoutingListeners listeners;

	/**
	 * Creates the policy.
	 * @param trustedProxies the proxies whose forwarding headers are honoured
	 * @param acceptTagsFrom the callers whose tags are accepted; empty for every caller
	 * @param allowedGroups the groups a request may enter with
	 * @param bindings the source bindings
	 * @param listeners told of every dropped tag
	 */
	public EdgePolicy(AddressRanges trustedProxies, AddressRanges acceptTagsFrom, AllowedGroups allowedGroups,
			GroupBindings bindings, RoutingListeners listeners) {
		this.trustedProxies = trustedProxies;
		this.acceptTagsFrom = acceptTagsFrom;
		this.allowedGroups = allowedGroups;
		this.bindings = bindings;
		this.listeners = listeners;
	}

	/**
	 * Decides the group and fail-fast list of an incoming request.
	 * @param request the request
	 * @return the decision
	 */
	public EdgeDecision decide(EdgeRequest request) {
		String client = clientAddress(request);
		boolean mayTag = this.acceptTagsFrom.isEmpty() || (client != null && this.acceptTagsFrom.contains(client));
		Consumer<TagRejection> rejected = this.listeners.rejectionsOf(IsolationTags.GROUP);
		List<String> baggage = request.headers(W3cBaggage.HEADER);

		Optional<IsolationGroup> header = accept(first(request.headers(IsolationTags.GROUP)), mayTag, rejected)
			.or(() -> accept(W3cBaggage.valueOf(baggage, IsolationTags.GROUP), mayTag, rejected));
		if (header.isPresent()) {
			return new EdgeDecision(client, header.get(), EdgeDecision.Source.HEADER, failFast(request, mayTag), mayTag);
		}
		for (String cookie : request.cookies(IsolationTags.GROUP)) {
			Optional<IsolationGroup> group = accept(cookie, mayTag, rejected);
			if (group.isPresent()) {
				return new EdgeDecision(client, group.get(), EdgeDecision.Source.COOKIE, failFast(request, mayTag), mayTag);
			}
		}
		Optional<IsolationGroup> bound = (client != null) ? this.bindings.sourceGroup(client) : Optional.empty();
		if (bound.isPresent() && allowed(bound.get(), rejected)) {
			return new EdgeDecision(client, bound.get(), EdgeDecision.Source.SOURCE_BINDING,
					failFast(request, mayTag), mayTag);
		}
		return new EdgeDecision(client, null, EdgeDecision.Source.NONE, failFast(request, mayTag), mayTag);
	}

	/**
	 * The caller's address, through trusted proxies.
	 * @param request the request
	 * @return the canonical IP address, or {@code null} if the peer's is unknown
	 */
	public String clientAddress(EdgeRequest request) {
		String peer = AddressRanges.canonical(request.remoteAddress());
		if (peer == null || this.trustedProxies.isEmpty() || !this.trustedProxies.contains(peer)) {
			return peer;
		}
		List<String> forwarded = request.headers(FORWARDED);
		List<String> hops = !forwarded.isEmpty() ? forwardedFor(forwarded)
				: xForwardedFor(request.headers(X_FORWARDED_FOR));
		String client = peer;
		for (int i = hops.size() - 1; i >= 0 && i >= hops.size() - MAX_HOPS; i--) {
			String hop = AddressRanges.canonical(hops.get(i));
			if (hop == null) {
				break;
			}
			client = hop;
			if (!this.trustedProxies.contains(hop)) {
				break;
			}
		}
		return client;
	}

	private Optional<IsolationGroup> accept(String raw, boolean mayTag, Consumer<TagRejection> rejected) {
		if (raw == null) {
			return Optional.empty();
		}
		if (!mayTag) {
			rejected.accept(TagRejection.UNTRUSTED_SOURCE);
			return Optional.empty();
		}
		return IsolationGroup.parse(raw, rejected).filter((group) -> allowed(group, rejected));
	}

	private boolean allowed(IsolationGroup group, Consumer<TagRejection> rejected) {
		if (this.allowedGroups.allows(group)) {
			return true;
		}
		rejected.accept(TagRejection.GROUP_NOT_ALLOWED);
		return false;
	}

	private FailFastServices failFast(EdgeRequest request, boolean mayTag) {
		String raw = first(request.headers(IsolationTags.FAIL_FAST));
		if (raw == null) {
			raw = W3cBaggage.valueOf(request.headers(W3cBaggage.HEADER), IsolationTags.FAIL_FAST);
		}
		if (raw == null) {
			return FailFastServices.NONE;
		}
		Consumer<TagRejection> rejected = this.listeners.rejectionsOf(IsolationTags.FAIL_FAST);
		if (!mayTag) {
			rejected.accept(TagRejection.UNTRUSTED_SOURCE);
			return FailFastServices.NONE;
		}
		return FailFastServices.parse(raw, rejected);
	}

	private static String first(List<String> values) {
		return values.isEmpty() ? null : values.get(0);
	}

	// X-Forwarded-For: client, proxy1, proxy2 (IPv4 may carry a port).
	private static List<String> xForwardedFor(List<String> headers) {
		List<String> hops = new ArrayList<>();
		for (String header : bounded(headers)) {
			for (String hop : header.split(",", -1)) {
				String value = hop.strip();
				int colon = value.indexOf(':');
				if (colon > 0 && colon == value.lastIndexOf(':')) {
					value = value.substring(0, colon);
				}
				hops.add(value);
			}
		}
		return hops;
	}

	// Forwarded: for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711" (RFC 7239).
	private static List<String> forwardedFor(List<String> headers) {
		List<String> hops = new ArrayList<>();
		for (String header : bounded(headers)) {
			for (String element : header.split(",", -1)) {
				String address = null;
				for (String pair : element.split(";", -1)) {
					String value = pair.strip();
					if (value.length() > 4 && value.substring(0, 4).toLowerCase(Locale.ROOT).equals("for=")) {
						address = forwardedNode(value.substring(4).strip());
					}
				}
				// An element without for= is a hop we cannot place: it stops the walk.
				hops.add((address != null) ? address : "");
			}
		}
		return hops;
	}

	private static String forwardedNode(String node) {
		String value = node;
		if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
			value = value.substring(1, value.length() - 1);
		}
		if (value.startsWith("[")) {
			int end = value.indexOf(']');
			return (end > 0) ? value.substring(1, end) : null;
		}
		int colon = value.indexOf(':');
		return (colon > 0 && colon == value.lastIndexOf(':')) ? value.substring(0, colon) : value;
	}

	private static List<String> bounded(List<String> headers) {
		int length = 0;
		for (String header : headers) {
			length += header.length();
		}
		// Beyond the bound the header is not one a real chain of proxies writes: trust only the peer.
		return (length > MAX_FORWARDED_LENGTH) ? List.of() : headers;
	}

}
