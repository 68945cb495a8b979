package io.github.isolation.zookeeper;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.github.isolation.core.rules.ConditionOp;
import io.github.isolation.core.rules.ConditionSource;
import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.RuleValidationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EdgeRuleJsonTests {

	static final String EXAMPLE = """
			{
			  "id": "canary-users",
			  "group": "feature-x",
			  "priority": 10,
			  "enabled": true,
			  "match": { "all": [ { "source": "header", "name": "x-app", "op": "in", "values": ["ios", "android"] } ] },
			  "split": { "key": "header:x-user-id", "percent": 10.0, "salt": "canary-users" }
			}
			""";

	@Test
	void shouldReadTheDesignsExample() {
		EdgeRule rule = EdgeRuleJson.read(EXAMPLE);
		assertThat(rule.id()).isEqualTo("canary-users");
		assertThat(rule.match().conditions().get(0).source()).isEqualTo(ConditionSource.HEADER);
		assertThat(rule.match().conditions().get(0).op()).isEqualTo(ConditionOp.IN);
		assertThat(rule.split().basisPoints()).isEqualTo(1000);
	}

	@Test
	void shouldWriteWhatItReadsBack() {
		EdgeRule rule = EdgeRuleJson.read(EXAMPLE);
		String written = EdgeRuleJson.write(rule);
		assertThat(EdgeRuleJson.read(written)).isEqualTo(rule);
		assertThat(EdgeRuleJson.read(EdgeRuleJson.encode(rule))).isEqualTo(rule);
		assertThat(written).contains("\"percent\": 10.0").contains("\"values\": [\"ios\", \"android\"]");
	}

	@Test
	void shouldReadEscapesAndUnicode() {
		EdgeRule rule = EdgeRuleJson.read("""
				{"id":"t","group":"g","match":{"any":[{"source":"header","name":"x-t","op":"exact","value":"a\\"b\\u00e9\\n"}]}}""");
		assertThat(rule.match().conditions().get(0).values()).containsExactly("a\"b\u00e9\n");
		assertThat(EdgeRuleJson.read(EdgeRuleJson.write(rule))).isEqualTo(rule);
	}

	@Test
	void shouldRefuseWhatIsNotStrictJsonNamingJson() {
		assertThat(error("")).isEqualTo("json must be a JSON object, but was empty");
		assertThat(error(" ")).isEqualTo("json must be complete JSON, but ended early");
		assertThat(error("{\"id\":\"a\",}")).startsWith("json must be JSON, but has '}' at character 11");
		assertThat(error("{\"id\":\"a\",\"id\":\"b\"}")).startsWith("json must not repeat the field 'id'");
		assertThat(error("{\"id\":'a'}")).startsWith("json must be JSON, but has '\\u0027' at character 7");
		assertThat(error("{\"id\":\"a\"} x")).startsWith("json must end after the document");
		assertThat(error("[1]")).isEqualTo("json must be a JSON object, but was an array");
		assertThat(error("{\"priority\": 01}")).startsWith("json must be JSON, but has '1'");
		assertThat(error("[".repeat(100))).startsWith("json must nest at most 16 deep");
		assertThat(catchThrowableOfType(RuleValidationException.class,
				() -> EdgeRuleJson.read(new byte[] { '{', (byte) 0xff, '}' })).getMessage())
			.isEqualTo("json must be UTF-8, but was not");
	}

	@Test
	void shouldNameTheFieldOfAValidDocumentThatIsNotAValidRule() {
		assertThat(error(EXAMPLE.replace("\"in\"", "\"like\"")))
			.isEqualTo("match.all[0].op must be one of exact, in, prefix, regex, cidr, present, but was 'like'");
		assertThat(error(EXAMPLE.replace("10.0", "10.005")))
			.isEqualTo("split.percent must be a number from 0 to 100 with at most two decimals, but was 10.005");
		assertThat(error(EXAMPLE.replace("\"priority\": 10", "\"priority\": \"10\"")))
			.startsWith("priority must be a whole number");
	}

	private static String error(String json) {
		RuleValidationException ex = catchThrowableOfType(RuleValidationException.class,
				() -> EdgeRuleJson.read(json.getBytes(StandardCharsets.UTF_8)));
		assertThat(ex).as("no error for %s", json).isNotNull();
		return ex.getMessage();
	}

}
