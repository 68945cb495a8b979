package io.github.isolation.core.rules;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgeRulesTest {

	private static final Condition IOS = new Condition(ConditionSource.HEADER, "X-App", ConditionOp.EXACT,
			List.of("ios"));

	@Test
	void shouldGiveTheFirstApplyingRuleByPriorityThenId() {
		EdgeRule late = rule("a-late", "g1", 20, RuleMatch.all(IOS));
		EdgeRule tieB = rule("b-tie", "g2", 10, RuleMatch.all(IOS));
		EdgeRule tieA = rule("a-tie", "g3", 10, RuleMatch.all(IOS));
		EdgeRules rules = new EdgeRules(List.of(late, tieB, tieA));
		assertThat(rules.all()).containsExactly(tieA, tieB, late);
		assertThat(rules.evaluate(TestRequest.get("/").header("x-app", "ios"))).isEqualTo(tieA);
		assertThat(rules.evaluate(TestRequest.get("/").header("x-app", "android"))).isNull();
	}

	@Test
	void shouldSkipDisabledRules() {
		EdgeRule first = rule("first", "g1", 1, null).withEnabled(false);
		EdgeRule second = rule("second", "g2", 2, null);
		EdgeRules rules = new EdgeRules(List.of(first, second));
		assertThat(rules.evaluate(TestRequest.get("/"))).isEqualTo(second);
		assertThat(rules.enabled()).containsExactly(second);
		assertThat(rules.get("first")).isEqualTo(first);
	}

	@Test
	void shouldColourNothingWithoutRules() {
		assertThat(EdgeRules.NONE.evaluate(TestRequest.get("/"))).isNull();
	}

	@Test
	void shouldApplyAllOrAnyOfTheConditions() {
		Condition post = new Condition(ConditionSource.METHOD, null, ConditionOp.EXACT, List.of("POST"));
		EdgeRule all = rule("all", "g", 0, RuleMatch.all(IOS, post));
		EdgeRule any = rule("any", "g", 0, RuleMatch.any(IOS, post));
		TestRequest iosGet = TestRequest.get("/").header("X-APP", "ios");
		TestRequest iosPost = TestRequest.get("/").header("x-app", "ios").method("POST");
		TestRequest androidGet = TestRequest.get("/").header("x-app", "android");
		assertThat(all.appliesTo(iosGet)).isFalse();
		assertThat(all.appliesTo(iosPost)).isTrue();
		assertThat(any.appliesTo(iosGet)).isTrue();
		assertThat(any.appliesTo(androidGet)).isFalse();
	}

	@Test
	void shouldTestEverySourceAndOp() {
		TestRequest request = TestRequest.get("/orders/42").header("x-tenant", "acme").cookie("beta", "1")
			.query("v", "5.2.1").from("10.20.3.4");
		assertThat(test(ConditionSource.HEADER, "X-Tenant", ConditionOp.IN, "globex", "acme", request)).isTrue();
		assertThat(test(ConditionSource.COOKIE, "beta", ConditionOp.PRESENT, null, null, request)).isTrue();
		assertThat(test(ConditionSource.COOKIE, "alpha", ConditionOp.PRESENT, null, null, request)).isFalse();
		assertThat(test(ConditionSource.QUERY, "v", ConditionOp.REGEX, "5\\.[0-9]+\\.[0-9]+", null, request)).isTrue();
		assertThat(test(ConditionSource.PATH, null, ConditionOp.PREFIX, "/orders/", null, request)).isTrue();
		assertThat(test(ConditionSource.PATH, null, ConditionOp.PREFIX, "/order/", null, request)).isFalse();
		assertThat(test(ConditionSource.METHOD, null, ConditionOp.EXACT, "GET", null, request)).isTrue();
		assertThat(test(ConditionSource.SOURCE_CIDR, null, ConditionOp.CIDR, "192.168.0.0/16", "10.20.0.0/16", request))
			.isTrue();
		assertThat(test(ConditionSource.SOURCE_CIDR, null, ConditionOp.CIDR, "192.168.0.0/16", null, request)).isFalse();
		assertThat(test(ConditionSource.HEADER, "x-absent", ConditionOp.PREFIX, "", null, request)).isFalse();
	}

	@Test
	void shouldRefuseTwoRulesWithOneId() {
		assertThatThrownBy(() -> new EdgeRules(List.of(rule("same", "a", 0, null), rule("same", "b", 1, null))))
			.hasMessage("rule ids must be unique, but 'same' was twice");
	}

	private static boolean test(ConditionSource source, String name, ConditionOp op, String first, String second,
			TestRequest request) {
		List<String> values = (first == null) ? List.of() : (second == null) ? List.of(first) : List.of(first, second);
		return new Condition(source, name, op, values).test(request);
	}

	private static EdgeRule rule(String id, String group, int priority, RuleMatch match) {
		return new EdgeRule(id, IsolationGroup.of(group), priority, true, match, null);
	}

}
