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
import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.EdgeRules;
import io.github.isolation.core.rules.RuleRequest;

/**
 * Decides the group of a request entering the system, by the first of these that gives one: the
 * {@value IsolationTags#GROUP} header or the entry of the W3C {@code baggage} header, the
 * {@value IsolationTags#GROUP} cookie, the source binding of the caller's address
 * ({@link GroupBindings#sourceGroup(String)}), the first enabled edge rule by
 * {@code (priority, id)} that applies ({@link EdgeRules}); else none, and the request goes on
 * untagged.
 *
 * <p>Rules come after the trust boundary: they see the caller's address found through trusted
 * proxies, and apply to a request whose tag was dropped (untrusted caller, malformed, or a group
 * outside {@code allowed-groups}) as to one that carried none. A rule whose group is outside
 * {@code allowed-groups} never colours: the request stays uncoloured, no later rule is tried,
 * and the rule's {@link EdgeRuleOutcome#GROUP_NOT_ALLOWED} hit is counted.
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

	private final EdgeRuleActivity rules;

	/**
	 * Creates the policy, without edge rules.
	 * @param trustedProxies the proxies whose forwarding headers are honoured
	 * @param acceptTagsFrom the callers whose tags are accepted; empty for every caller
	 * @param allowedGroups the groups a request may enter with
	 * @param bindings the source bindings
	 * @param listeners told of every dropped tag
	 */
	public EdgePolicy(AddressRanges trustedProxies, AddressRanges acceptTagsFrom, AllowedGroups allowedGroups,
			GroupBindings bindings, RoutingListeners listeners) {
		this(trustedProxies, acceptTagsFrom, allowedGroups, bindings, listeners,
				new EdgeRuleActivity(EdgeRuleSource.NONE, List.of()));
	}

	/**
	 * Creates the policy.
	 * @param trustedProxies the proxies whose forwarding headers are honoured
	 * @param acceptTagsFrom the callers whose tags are accepted; empty for every caller
	 * @param allowedGroups the groups a request may enter with
	 * @param bindings the source bindings
	 * @param listeners told of every dropped tag
	 * @param rules the edge rules, and where their hits are counted
	 */
	public EdgePolicy(AddressRanges trustedProxies, AddressRanges acceptTagsFrom, AllowedGroups allowedGroups,
			GroupBindings bindings, RoutingListeners listeners, EdgeRuleActivity rules) {
		this.trustedProxies = trustedProxies;
		this.acceptTagsFrom = acceptTagsFrom;
		this.allowedGroups = allowedGroups;
		this.bindings = bindings;
		this.listeners = listeners;
		this.rules = rules;
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
		EdgeRules rules = this.rules.source().rules();
		EdgeRule rule = (rules.size() > 0) ? rules.evaluate(new RuleView(request, client)) : null;
		if (rule != null) {
			if (this.allowedGroups.allows(rule.group())) {
				this.rules.record(rule, EdgeRuleOutcome.COLOURED);
				return new EdgeDecision(client, rule.group(), EdgeDecision.Source.RULE, failFast(request, mayTag), mayTag,
						rule.id());
			}
			this.rules.record(rule, EdgeRuleOutcome.GROUP_NOT_ALLOWED);
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

	// What the rules read of a request: its parts, and the caller's address through trusted proxies.
	private record RuleView(EdgeRequest request, String client) implements RuleRequest {

		@Override
		public String header(String lowerCaseName) {
			return first(this.request.headers(lowerCaseName));
		}

		@Override
		public String cookie(String name) {
			return first(this.request.cookies(name));
		}

		@Override
		public String queryParameter(String name) {
			return QueryParameters.first(this.request.rawQuery(), name);
		}

		@Override
		public String path() {
			return this.request.path();
		}

		@Override
		public String method() {
			return this.request.method();
		}

		@Override
		public String sourceAddress() {
			return this.client;
		}

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
