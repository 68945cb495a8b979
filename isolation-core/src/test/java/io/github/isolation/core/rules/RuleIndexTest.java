package io.github.isolation.core.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index gives the decision of the plain first-match loop: on thousands of generated rule
 * sets and requests (fixed seeds, so a failure repeats), and on a few cases written out.
 */
class RuleIndexTest {

	private static final String[] NAMES = { "x-tenant", "X-App", "x-user-id", "beta", "canary" };

	private static final String[] VALUES = { "acme", "globex", "ios", "android", "web", "Acme", "", "a,b" };

	private static final String[] METHODS = { "GET", "POST", "get", "DELETE" };

	private static final String[] PATHS = { "/", "/orders/42", "/v1/users", "/v2/" };

	private static final String[] ADDRESSES = { "192.0.2.1", "10.1.2.3", "2001:db8::1", "198.51.100.7" };

	@Test
	void shouldDecideAsTheLinearLoopOnGeneratedRulesAndRequests() {
		int compared = 0;
		int matched = 0;
		int indexed = 0;
		int total = 0;
		for (long seed = 1; seed <= 2000; seed++) {
			Random random = new Random(seed);
			EdgeRules rules = new EdgeRules(rules(random));
			indexed += rules.indexedCount();
			total += rules.enabled().size();
			for (int r = 0; r < 40; r++) {
				TestRequest request = request(random);
				EdgeRule expected = rules.evaluateLinearly(request);
				long failingSeed = seed;
				int failingRequest = r;
				assertThat(rules.evaluate(request))
					.as(() -> "seed " + failingSeed + ", request " + failingRequest + ": headers " + request.headers
							+ ", cookies " + request.cookies + ", query " + request.query + ", " + request.method + " "
							+ request.path + " from " + request.source + ", over " + rules)
					.isEqualTo(expected);
				compared++;
				if (expected != null) {
					matched++;
				}
			}
		}
		// The comparison means something only if both decisions and the index are exercised.
		assertThat(compared).isEqualTo(80_000);
		assertThat(matched).isBetween(compared / 10, compared - compared / 10);
		assertThat(indexed).isBetween(total / 5, total - total / 5);
	}

	@Test
	void shouldKeepPriorityOrderAcrossIndexedAndUnindexedRules() {
		EdgeRule unindexedLate = rule("late", 20, null);
		EdgeRule indexedEarly = rule("early", 10, RuleMatch.all(header("X-Tenant", ConditionOp.EXACT, "acme")));
		EdgeRule tieB = rule("b", 5, RuleMatch.all(header("x-app", ConditionOp.IN, "ios", "android")));
		EdgeRule tieA = rule("a", 5, RuleMatch.all(new Condition(ConditionSource.PATH, null, ConditionOp.PREFIX,
				List.of("/v1/"))));
		EdgeRules rules = new EdgeRules(List.of(unindexedLate, indexedEarly, tieB, tieA));
		assertThat(rules.indexedCount()).isEqualTo(2);
		assertThat(rules.evaluate(TestRequest.get("/").header("x-tenant", "acme"))).isEqualTo(indexedEarly);
		assertThat(rules.evaluate(TestRequest.get("/v1/x").header("x-app", "ios"))).isEqualTo(tieA);
		assertThat(rules.evaluate(TestRequest.get("/").header("x-app", "ios"))).isEqualTo(tieB);
		assertThat(rules.evaluate(TestRequest.get("/").header("x-tenant", "Acme"))).isEqualTo(unindexedLate);
	}

	@Test
	void shouldMatchHeaderNamesIgnoringCaseAndValuesExactly() {
		EdgeRule tenant = rule("tenant", 1, RuleMatch.all(header("X-TENANT", ConditionOp.EXACT, "acme")));
		EdgeRules rules = new EdgeRules(List.of(tenant));
		assertThat(rules.indexedCount()).isEqualTo(1);
		assertThat(rules.evaluate(TestRequest.get("/").header("x-Tenant", "acme"))).isEqualTo(tenant);
		assertThat(rules.evaluate(TestRequest.get("/").header("x-tenant", "ACME"))).isNull();
		assertThat(rules.evaluate(TestRequest.get("/").header("x-tenant", ""))).isNull();
		assertThat(rules.evaluate(TestRequest.get("/"))).isNull();
	}

	@Test
	void shouldNotIndexAnyOfSeveralConditionsNorDisabledRules() {
		EdgeRule either = rule("either", 1, RuleMatch.any(header("x-app", ConditionOp.EXACT, "ios"),
				new Condition(ConditionSource.COOKIE, "beta", ConditionOp.PRESENT, List.of())));
		EdgeRule off = rule("off", 0, RuleMatch.all(header("x-app", ConditionOp.EXACT, "web"))).withEnabled(false);
		EdgeRules rules = new EdgeRules(List.of(either, off));
		assertThat(rules.indexedCount()).isZero();
		assertThat(rules.evaluate(TestRequest.get("/").cookie("beta", "1"))).isEqualTo(either);
		assertThat(rules.evaluate(TestRequest.get("/").header("x-app", "web"))).isNull();
	}

	@Test
	void shouldUseTheConditionWithFewestValuesAndStillTestTheOthers() {
		EdgeRule rule = rule("both", 1, RuleMatch.all(header("x-app", ConditionOp.IN, "ios", "android", "web"),
				new Condition(ConditionSource.METHOD, null, ConditionOp.EXACT, List.of("POST"))));
		EdgeRules rules = new EdgeRules(List.of(rule));
		assertThat(rules.evaluate(TestRequest.get("/").method("POST").header("x-app", "web"))).isEqualTo(rule);
		assertThat(rules.evaluate(TestRequest.get("/").method("POST").header("x-app", "linux"))).isNull();
		assertThat(rules.evaluate(TestRequest.get("/").method("post").header("x-app", "web"))).isNull();
	}

	private static List<EdgeRule> rules(Random random) {
		int count = random.nextInt(25);
		List<EdgeRule> rules = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			RuleMatch match = (random.nextInt(6) == 0) ? null : match(random);
			StickySplit split = (random.nextInt(4) == 0) ? new StickySplit(ConditionSource.HEADER, "x-user-id",
					random.nextInt(10_001), "salt-" + random.nextInt(3)) : null;
			EdgeRule rule = new EdgeRule("rule-" + i, IsolationGroup.of("g" + random.nextInt(5)), random.nextInt(6),
					random.nextInt(5) != 0, match, split);
			rules.add(rule);
			if (random.nextInt(10) == 0) {
				// The same conditions again under another id, so duplicates meet ties.
				rules.add(new EdgeRule("copy-" + i, rule.group(), rule.priority(), rule.enabled(), match, split));
			}
		}
		return rules;
	}

	private static RuleMatch match(Random random) {
		int size = 1 + random.nextInt(3);
		Condition[] conditions = new Condition[size];
		for (int i = 0; i < size; i++) {
			conditions[i] = condition(random);
		}
		return (random.nextInt(3) == 0) ? RuleMatch.any(conditions) : RuleMatch.all(conditions);
	}

	private static Condition condition(Random random) {
		ConditionSource source = ConditionSource.values()[random.nextInt(ConditionSource.values().length)];
		if (source == ConditionSource.SOURCE_CIDR) {
			return new Condition(source, null, ConditionOp.CIDR,
					List.of(random.nextBoolean() ? "10.0.0.0/8" : "2001:db8::/32"));
		}
		List<ConditionOp> ops = new ArrayList<>(List.of(ConditionOp.EXACT, ConditionOp.IN, ConditionOp.PREFIX,
				ConditionOp.REGEX));
		if (source.isNamed()) {
			ops.add(ConditionOp.PRESENT);
		}
		ConditionOp op = ops.get(random.nextInt(ops.size()));
		String[] pool = switch (source) {
			case METHOD -> METHODS;
			case PATH -> PATHS;
			default -> VALUES;
		};
		List<String> values = switch (op) {
			case PRESENT -> List.of();
			case IN -> distinct(random, pool, 1 + random.nextInt(3));
			case REGEX -> List.of(random.nextBoolean() ? "[a-z]+" : "a.*");
			default -> List.of(pool[random.nextInt(pool.length)]);
		};
		String name = source.isNamed() ? NAMES[random.nextInt(NAMES.length)] : null;
		return new Condition(source, name, op, values);
	}

	private static List<String> distinct(Random random, String[] pool, int size) {
		List<String> values = new ArrayList<>();
		while (values.size() < size) {
			String value = pool[random.nextInt(pool.length)];
			if (!values.contains(value)) {
				values.add(value);
			}
		}
		return values;
	}

	private static TestRequest request(Random random) {
		TestRequest request = TestRequest.get(PATHS[random.nextInt(PATHS.length)])
			.method(METHODS[random.nextInt(METHODS.length)])
			.from(ADDRESSES[random.nextInt(ADDRESSES.length)]);
		for (String name : NAMES) {
			if (random.nextBoolean()) {
				// The request's header name in any case: the rules read it ignoring case.
				String spelled = random.nextBoolean() ? name.toUpperCase(java.util.Locale.ROOT) : name;
				request.header(spelled, VALUES[random.nextInt(VALUES.length)]);
			}
			if (random.nextInt(3) == 0) {
				request.cookie(name, VALUES[random.nextInt(VALUES.length)]);
			}
			if (random.nextInt(3) == 0) {
				request.query(name, VALUES[random.nextInt(VALUES.length)]);
			}
		}
		return request;
	}

	private static Condition header(String name, ConditionOp op, String... values) {
		return new Condition(ConditionSource.HEADER, name, op, List.of(values));
	}

	private static EdgeRule rule(String id, int priority, RuleMatch match) {
		return new EdgeRule(id, IsolationGroup.of("g-" + id), priority, true, match, null);
	}

}
