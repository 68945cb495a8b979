package io.github.isolation.autoconfigure.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.isolation.autoconfigure.RoutingListener;
import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.TagRejection;
import io.github.isolation.core.rules.Condition;
import io.github.isolation.core.rules.ConditionOp;
import io.github.isolation.core.rules.ConditionSource;
import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.EdgeRules;
import io.github.isolation.core.rules.RuleMatch;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where edge rules stand among the sources of a request's group: after an accepted tag and a
 * source binding, after the trust boundary, and never outside {@code allowed-groups}.
 */
class EdgePolicyRulesTests {

	private static final EdgeRule EVERYONE = rule("everyone", "feature-r", 50, null);

	private static final EdgeRule ACME = rule("acme", "hotfix-7", 10,
			RuleMatch.all(new Condition(ConditionSource.HEADER, "X-Tenant", ConditionOp.EXACT, List.of("acme"))));

	private final List<String> rejections = new ArrayList<>();

	private final List<String> applied = new ArrayList<>();

	private final RoutingListeners listeners = new RoutingListeners(List.of(new RoutingListener() {

		@Override
		public void rejected(String field, TagRejection reason) {
			EdgePolicyRulesTests.this.rejections.add(field + " " + reason);
		}

	}));

	private final GroupBindings bindings = new GroupBindings() {

		@Override
		public Optional<IsolationGroup> instanceGroup(String serviceId, String host, int port) {
			return Optional.empty();
		}

		@Override
		public Optional<IsolationGroup> sourceGroup(String address) {
			return Optional.ofNullable(Map.of("10.0.0.9", IsolationGroup.of("feature-s")).get(address));
		}

	};

	@Test
	void shouldColourByTheFirstApplyingRuleAndNameItInTheDecision() {
		EdgeRuleActivity activity = activity(ACME, EVERYONE);
		EdgePolicy policy = policy(List.of(), List.of(), List.of(), activity);

		EdgeDecision acme = policy.decide(request("10.0.0.1").header("x-tenant", "acme"));
		EdgeDecision other = policy.decide(request("10.0.0.1").header("x-tenant", "globex"));

		assertThat(acme).extracting(EdgeDecision::group, EdgeDecision::source, EdgeDecision::rule)
			.containsExactly(IsolationGroup.of("hotfix-7"), EdgeDecision.Source.RULE, "acme");
		assertThat(other).extracting(EdgeDecision::group, EdgeDecision::source, EdgeDecision::rule)
			.containsExactly(IsolationGroup.of("feature-r"), EdgeDecision.Source.RULE, "everyone");
		assertThat(activity.hits("acme", EdgeRuleOutcome.COLOURED)).isEqualTo(1);
		assertThat(activity.hits("everyone", EdgeRuleOutcome.COLOURED)).isEqualTo(1);
		assertThat(this.applied).containsExactly("acme coloured", "everyone coloured");
	}

	@Test
	void shouldLetAnAcceptedExplicitTagBeatEveryRule() {
		EdgePolicy policy = policy(List.of(), List.of(), List.of(), activity(ACME, EVERYONE));

		assertThat(policy.decide(request("10.0.0.1").header("isolation-group", "feature-h").header("x-tenant", "acme")))
			.extracting(EdgeDecision::group, EdgeDecision::source, EdgeDecision::rule)
			.containsExactly(IsolationGroup.of("feature-h"), EdgeDecision.Source.HEADER, null);
		assertThat(policy.decide(request("10.0.0.1").header("baggage", "isolation-group=feature-b")).source())
			.isEqualTo(EdgeDecision.Source.HEADER);
		assertThat(policy.decide(request("10.0.0.1").cookie("feature-c")).source()).isEqualTo(EdgeDecision.Source.COOKIE);
		assertThat(this.applied).isEmpty();
	}

	@Test
	void shouldLetASourceBindingBeatEveryRule() {
		EdgePolicy policy = policy(List.of(), List.of(), List.of(), activity(ACME, EVERYONE));

		assertThat(policy.decide(request("10.0.0.9").header("x-tenant", "acme")))
			.extracting(EdgeDecision::group, EdgeDecision::source)
			.containsExactly(IsolationGroup.of("feature-s"), EdgeDecision.Source.SOURCE_BINDING);
	}

	@Test
	void shouldDropAnUntrustedCallersTagAndStillApplyTheRules() {
		EdgePolicy policy = policy(List.of(), List.of("192.168.0.0/16"), List.of(), activity(ACME, EVERYONE));

		EdgeDecision decision = policy.decide(request("10.0.0.1").header("isolation-group", "feature-h")
			.header("x-tenant", "acme"));

		assertThat(decision).extracting(EdgeDecision::group, EdgeDecision::source, EdgeDecision::rule, EdgeDecision::trusted)
			.containsExactly(IsolationGroup.of("hotfix-7"), EdgeDecision.Source.RULE, "acme", false);
		assertThat(this.rejections).containsExactly("isolation-group UNTRUSTED_SOURCE");
	}

	@Test
	void shouldNeverColourWithARuleWhoseGroupIsNotAllowed() {
		EdgeRuleActivity activity = activity(ACME, EVERYONE);
		EdgePolicy policy = policy(List.of(), List.of(), List.of("feature-*"), activity);

		EdgeDecision acme = policy.decide(request("10.0.0.1").header("x-tenant", "acme"));
		EdgeDecision other = policy.decide(request("10.0.0.1"));

		// hotfix-7 is not allowed: the request stays uncoloured and the later rule is not tried.
		assertThat(acme).extracting(EdgeDecision::group, EdgeDecision::source, EdgeDecision::rule)
			.containsExactly(null, EdgeDecision.Source.NONE, null);
		assertThat(other.group()).isEqualTo(IsolationGroup.of("feature-r"));
		assertThat(activity.hits("acme", EdgeRuleOutcome.GROUP_NOT_ALLOWED)).isEqualTo(1);
		assertThat(activity.hits("acme", EdgeRuleOutcome.COLOURED)).isZero();
		assertThat(activity.hits("everyone", EdgeRuleOutcome.COLOURED)).isEqualTo(1);
	}

	@Test
	void shouldMatchTheCallersAddressThroughTrustedProxiesAndReadPathMethodAndQuery() {
		EdgeRule office = rule("office", "feature-o", 1,
				RuleMatch.all(new Condition(ConditionSource.SOURCE_CIDR, null, ConditionOp.CIDR, List.of("10.20.0.0/16")),
						new Condition(ConditionSource.PATH, null, ConditionOp.PREFIX, List.of("/orders")),
						new Condition(ConditionSource.METHOD, null, ConditionOp.EXACT, List.of("POST")),
						new Condition(ConditionSource.QUERY, "beta", ConditionOp.EXACT, List.of("yes please"))));
		EdgePolicy policy = policy(List.of("10.1.0.0/16"), List.of(), List.of(), activity(office));

		Request viaProxy = request("10.1.0.5").header("X-Forwarded-For", "10.20.3.4").at("POST", "/orders/1",
				"x=1&beta=yes+please");
		Request direct = request("10.20.3.4").at("POST", "/orders/1", "beta=yes%20please");
		Request notTrusted = request("10.2.0.5").header("X-Forwarded-For", "10.20.3.4").at("POST", "/orders/1",
				"beta=yes+please");

		assertThat(policy.decide(viaProxy).rule()).isEqualTo("office");
		assertThat(policy.decide(direct).rule()).isEqualTo("office");
		assertThat(policy.decide(notTrusted).rule()).isNull();
		assertThat(policy.decide(request("10.20.3.4").at("GET", "/orders/1", "beta=yes+please")).rule()).isNull();
	}

	@Test
	void shouldDescribeTheRulesWithTheirHits() {
		EdgeRuleActivity activity = activity(ACME, EVERYONE.withEnabled(false));
		policy(List.of(), List.of(), List.of(), activity).decide(request("10.0.0.1").header("x-tenant", "acme"));

		Map<String, Object> described = activity.describe();

		assertThat(described.get("rules")).asList().hasSize(2);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> rules = (List<Map<String, Object>>) described.get("rules");
		assertThat(rules.get(0)).containsEntry("id", "acme")
			.containsEntry("group", "hotfix-7")
			.containsEntry("hits", Map.of("coloured", 1L, "group_not_allowed", 0L));
		assertThat(rules.get(1)).containsEntry("enabled", false);
	}

	private EdgeRuleActivity activity(EdgeRule... rules) {
		EdgeRules edgeRules = new EdgeRules(List.of(rules));
		return new EdgeRuleActivity(() -> edgeRules,
				List.of((rule, outcome) -> this.applied.add(rule.id() + " " + outcome.tagValue())));
	}

	private EdgePolicy policy(List<String> trustedProxies, List<String> acceptTagsFrom, List<String> allowedGroups,
			EdgeRuleActivity activity) {
		return new EdgePolicy(AddressRanges.of(trustedProxies), AddressRanges.of(acceptTagsFrom),
				AllowedGroups.of(allowedGroups), this.bindings, this.listeners, activity);
	}

	private static EdgeRule rule(String id, String group, int priority, RuleMatch match) {
		return new EdgeRule(id, IsolationGroup.of(group), priority, true, match, null);
	}

	private static Request request(String remoteAddress) {
		return new Request(remoteAddress);
	}

	private static final class Request implements EdgeRequest {

		private final String remoteAddress;

		private final Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);

		private final List<String> cookies = new ArrayList<>();

		private String method = "GET";

		private String path = "/";

		private String query;

		Request(String remoteAddress) {
			this.remoteAddress = remoteAddress;
		}

		Request header(String name, String value) {
			this.headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
			return this;
		}

		Request cookie(String value) {
			this.cookies.add(value);
			return this;
		}

		Request at(String method, String path, String query) {
			this.method = method;
			this.path = path;
			this.query = query;
			return this;
		}

		@Override
		public String remoteAddress() {
			return this.remoteAddress;
		}

		@Override
		public List<String> headers(String name) {
			return this.headers.getOrDefault(name, List.of());
		}

		@Override
		public List<String> cookies(String name) {
			return name.equals("isolation-group") ? this.cookies : List.of();
		}

		@Override
		public String path() {
			return this.path;
		}

		@Override
		public String method() {
			return this.method;
		}

		@Override
		public String rawQuery() {
			return this.query;
		}

	}

}
