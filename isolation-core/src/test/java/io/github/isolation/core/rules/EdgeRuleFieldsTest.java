package io.github.isolation.core.rules;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgeRuleFieldsTest {

	@Test
	void shouldReadTheDesignsExampleRule() {
		EdgeRule rule = EdgeRuleFields.fromFields(example());
		assertThat(rule.id()).isEqualTo("canary-users");
		assertThat(rule.group()).isEqualTo(IsolationGroup.of("feature-x"));
		assertThat(rule.priority()).isEqualTo(10);
		assertThat(rule.enabled()).isTrue();
		assertThat(rule.match().mode()).isEqualTo(RuleMatch.Mode.ALL);
		assertThat(rule.match().conditions()).containsExactly(
				new Condition(ConditionSource.HEADER, "x-app", ConditionOp.IN, List.of("ios", "android")));
		assertThat(rule.split().key()).isEqualTo("header:x-user-id");
		assertThat(rule.split().basisPoints()).isEqualTo(1000);
		assertThat(rule.split().salt()).isEqualTo("canary-users");
	}

	@Test
	void shouldWriteFieldsThatReadBackToTheSameRule() {
		EdgeRule rule = EdgeRuleFields.fromFields(example());
		Map<String, Object> fields = EdgeRuleFields.toFields(rule);
		assertThat(EdgeRuleFields.fromFields(fields)).isEqualTo(rule);
		assertThat(((Map<?, ?>) fields.get("split")).get("percent")).isEqualTo(new BigDecimal("10.0"));
	}

	@Test
	void shouldDefaultEnabledPriorityAndSaltAndAllowNoMatchOrSplit() {
		EdgeRule rule = EdgeRuleFields.fromFields(Map.of("id", "all-in", "group", "feature-x"));
		assertThat(rule.enabled()).isTrue();
		assertThat(rule.priority()).isZero();
		assertThat(rule.match()).isNull();
		assertThat(rule.split()).isNull();
		EdgeRule split = EdgeRuleFields.fromFields(Map.of("id", "half", "group", "feature-x", "split",
				Map.of("key", "cookie:uid", "percent", new BigDecimal("12.34"))));
		assertThat(split.split().salt()).isEqualTo("half");
		assertThat(split.split().basisPoints()).isEqualTo(1234);
	}

	@Test
	void shouldNameTheFieldThatIsWrong() {
		assertThat(error(with("id", "Canary"))).startsWith("id must be 1 to 63 characters of [a-z0-9._-]")
			.endsWith("but was 'Canary'");
		assertThat(error(with("group", "bad group"))).startsWith("group must be 1 to 63 characters");
		assertThat(error(without("group"))).isEqualTo("group must be a string, but was missing");
		assertThat(error(with("priority", new BigDecimal("1.5")))).startsWith("priority must be a whole number");
		assertThat(error(with("enabled", "yes"))).isEqualTo("enabled must be true or false, but was 'yes'");
		assertThat(error(with("colour", "red"))).startsWith("colour must not be there: it is not a known field");
		assertThat(error(condition(Map.of("source", "header", "name", "x", "op", "like", "value", "a"))))
			.isEqualTo("match.all[0].op must be one of exact, in, prefix, regex, cidr, present, but was 'like'");
		assertThat(error(condition(Map.of("source", "body", "op", "exact", "value", "a"))))
			.isEqualTo("match.all[0].source must be one of header, cookie, query, path, method, source-cidr, but was 'body'");
		assertThat(error(condition(Map.of("source", "header", "op", "exact", "value", "a"))))
			.startsWith("match.all[0].name must be 1 to 256 characters for source header");
		assertThat(error(condition(Map.of("source", "path", "op", "exact", "values", List.of("a", "b")))))
			.isEqualTo("match.all[0].values must hold exactly one value for op exact, but was 2 values");
		assertThat(error(condition(Map.of("source", "header", "name", "x-tenant", "op", "in", "values",
				List.of("acme", "globex", "acme")))))
			.isEqualTo("match.all[0].values[2] must not repeat values[0], but was 'acme'");
		assertThat(error(condition(Map.of("source", "source-cidr", "op", "cidr", "values", List.of("10.0.0.0/8", "10.0.0.0/33")))))
			.startsWith("match.all[0].values[1] must be an IPv4 or IPv6 address");
		assertThat(error(condition(Map.of("source", "path", "op", "cidr", "value", "10.0.0.0/8"))))
			.startsWith("match.all[0].op must not be cidr for source path");
		assertThat(error(condition(Map.of("source", "path", "op", "regex", "value", "(a+)+"))))
			.startsWith("match.all[0].values[0] must not hold a nested quantifier");
		assertThat(error(with("match", Map.of("all", List.of(), "any", List.of()))))
			.isEqualTo("match must hold exactly one of all or any, but held both");
		assertThat(error(with("split", Map.of("key", "user", "percent", 10))))
			.isEqualTo("split.key must be header:NAME, cookie:NAME or query:NAME, but was 'user'");
		assertThat(error(with("split", Map.of("key", "header:u", "percent", new BigDecimal("10.001")))))
			.isEqualTo("split.percent must be a number from 0 to 100 with at most two decimals, but was 10.001");
		assertThat(error(with("split", Map.of("key", "header:u", "percent", 101))))
			.startsWith("split.percent must be a number from 0 to 100");
		assertThat(error(with("split", Map.of("key", "header:u"))))
			.endsWith("but was missing");
	}

	private static String error(Map<String, Object> fields) {
		return org.assertj.core.api.Assertions.catchThrowableOfType(RuleValidationException.class,
				() -> EdgeRuleFields.fromFields(fields)).getMessage();
	}

	private static Map<String, Object> condition(Map<String, Object> condition) {
		return with("match", Map.of("all", List.of(condition)));
	}

	private static Map<String, Object> with(String field, Object value) {
		Map<String, Object> fields = example();
		fields.put(field, value);
		return fields;
	}

	private static Map<String, Object> without(String field) {
		Map<String, Object> fields = example();
		fields.remove(field);
		return fields;
	}

	static Map<String, Object> example() {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("id", "canary-users");
		fields.put("group", "feature-x");
		fields.put("priority", new BigDecimal("10"));
		fields.put("enabled", true);
		fields.put("match", Map.of("all", List.of(Map.of("source", "header", "name", "x-app", "op", "in", "values",
				List.of("ios", "android")))));
		Map<String, Object> split = new HashMap<>();
		split.put("key", "header:x-user-id");
		split.put("percent", new BigDecimal("10.0"));
		split.put("salt", "canary-users");
		fields.put("split", split);
		return fields;
	}

	@Test
	void shouldRefuseARuleWithAnIdThatIsNotAGroupName() {
		assertThatThrownBy(() -> new EdgeRule("", IsolationGroup.of("a"), 0, true, null, null))
			.isInstanceOf(RuleValidationException.class)
			.extracting((ex) -> ((RuleValidationException) ex).field())
			.isEqualTo("id");
	}

}
