package io.github.isolation.benchmarks.edge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.rules.Condition;
import io.github.isolation.core.rules.ConditionOp;
import io.github.isolation.core.rules.ConditionSource;
import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.EdgeRules;
import io.github.isolation.core.rules.FixedRuleRequest;
import io.github.isolation.core.rules.RuleMatch;
import io.github.isolation.core.rules.RuleRequest;
import io.github.isolation.core.rules.StickySplit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the edge rules cost a request: {@link EdgeRules#evaluate} over 0, 10 or 100 enabled
 * rules, against the plain loop over the same rules ({@code mode=LINEAR}) as the baseline. {@code noMatch} is a request that no rule applies to (the target: at most 1 us at 100
 * rules, and no allocation, which {@code -prof gc} shows); {@code lastMatches} is a request that
 * only the last rule applies to, through its sticky split. The rules mix what real ones hold:
 * header {@code exact}, {@code in} and {@code prefix} conditions, cookies, query parameters,
 * source CIDRs and splits; no regex, whose match allocates a matcher.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EdgeRulesBenchmark {

	@Param({ "0", "10", "100" })
	public int rules;

	/**
	 * {@code INDEXED}: {@link EdgeRules#evaluate}; {@code LINEAR}: every enabled rule in order,
	 * the loop it replaced, as the baseline of the same run.
	 */
	@Param({ "INDEXED", "LINEAR" })
	public String mode;

	/**
	 * {@code MIXED}: every kind of condition in turn, a third of them not indexable;
	 * {@code TENANTS}: what a shared environment mostly holds, a tenant header {@code in} a few
	 * values per rule, with an app-version prefix rule and a source CIDR rule in every ten.
	 */
	@Param({ "MIXED", "TENANTS" })
	public String shape;

	private EdgeRules edgeRules;

	private EdgeRule[] linear;

	private FixedRuleRequest noMatch;

	private FixedRuleRequest lastMatches;

	@Setup
	public void setUp() {
		List<EdgeRule> all = new ArrayList<>();
		for (int i = 0; i < this.rules; i++) {
			all.add("TENANTS".equals(this.shape) ? tenantRule(i) : rule(i));
		}
		if (this.rules > 0) {
			// The last rule: every request with a user id in its 100% split.
			all.add(new EdgeRule("zz-last", IsolationGroup.of("feature-last"), Integer.MAX_VALUE, true,
					RuleMatch.all(new Condition(ConditionSource.HEADER, "x-app", ConditionOp.EXACT, List.of("web"))),
					new StickySplit(ConditionSource.HEADER, "x-user-id", 10_000, "zz-last")));
		}
		this.edgeRules = new EdgeRules(all);
		this.linear = this.edgeRules.enabled().toArray(new EdgeRule[0]);
		this.noMatch = new FixedRuleRequest(Map.of("x-tenant", "globex", "x-app", "android", "x-user-id", "user-42",
				"user-agent", "Mozilla/5.0", "x-app-version", "8.1.0"), Map.of("session", "abc"), Map.of("page", "2"), "/orders/42", "GET",
				"192.0.2.1");
		Map<String, String> headers = new HashMap<>(this.noMatch.headers());
		headers.put("x-app", "web");
		this.lastMatches = new FixedRuleRequest(headers, this.noMatch.cookies(), this.noMatch.query(), this.noMatch.path(), "GET",
				"192.0.2.1");
		if (noMatch() != null || (this.rules > 0 && lastMatches() == null)
				|| evaluateLinearly(this.lastMatches) != this.edgeRules.evaluate(this.lastMatches)) {
			throw new IllegalStateException("the fixture requests do not match as intended");
		}
	}

	@Benchmark
	public EdgeRule noMatch() {
		return evaluate(this.noMatch);
	}

	@Benchmark
	public EdgeRule lastMatches() {
		return evaluate(this.lastMatches);
	}

	private EdgeRule evaluate(RuleRequest request) {
		return "LINEAR".equals(this.mode) ? evaluateLinearly(request) : this.edgeRules.evaluate(request);
	}

	// The evaluation before the index, kept as the baseline.
	private EdgeRule evaluateLinearly(RuleRequest request) {
		for (EdgeRule rule : this.linear) {
			if (rule.appliesTo(request)) {
				return rule;
			}
		}
		return null;
	}

	// Rule i of a shared environment: mostly tenants by header, some app versions and networks.
	private static EdgeRule tenantRule(int i) {
		IsolationGroup group = IsolationGroup.of("feature-" + i);
		RuleMatch match = switch (i % 10) {
			case 8 -> RuleMatch.all(new Condition(ConditionSource.HEADER, "x-app-version", ConditionOp.PREFIX,
					List.of("9." + i + ".")));
			case 9 -> RuleMatch.all(new Condition(ConditionSource.SOURCE_CIDR, null, ConditionOp.CIDR,
					List.of("10." + (i % 250) + ".0.0/16")));
			default -> RuleMatch.all(new Condition(ConditionSource.HEADER, "x-tenant", ConditionOp.IN,
					List.of("tenant-" + i + "-a", "tenant-" + i + "-b", "tenant-" + i + "-c")));
		};
		StickySplit split = (i % 3 == 0) ? new StickySplit(ConditionSource.HEADER, "x-user-id", 1000, "rule-" + i)
				: null;
		return new EdgeRule("rule-" + i, group, i, true, match, split);
	}

	// Rule i: conditions of varied kinds that the fixture requests do not meet.
	private static EdgeRule rule(int i) {
		IsolationGroup group = IsolationGroup.of("feature-" + i);
		RuleMatch match = switch (i % 6) {
			case 0 -> RuleMatch.all(new Condition(ConditionSource.HEADER, "x-tenant", ConditionOp.EXACT,
					List.of("tenant-" + i)));
			case 1 -> RuleMatch.all(new Condition(ConditionSource.HEADER, "x-app", ConditionOp.IN,
					List.of("ios-" + i, "android-" + i, "web-" + i)));
			case 2 -> RuleMatch.any(new Condition(ConditionSource.COOKIE, "beta-" + i, ConditionOp.PRESENT, List.of()),
					new Condition(ConditionSource.QUERY, "canary", ConditionOp.EXACT, List.of("c" + i)));
			case 3 -> RuleMatch.all(new Condition(ConditionSource.SOURCE_CIDR, null, ConditionOp.CIDR,
					List.of("10." + (i % 250) + ".0.0/16", "fd00:" + Integer.toHexString(i) + "::/32")));
			case 4 -> RuleMatch.all(new Condition(ConditionSource.PATH, null, ConditionOp.PREFIX, List.of("/v" + i + "/")),
					new Condition(ConditionSource.METHOD, null, ConditionOp.EXACT, List.of("POST")));
			default -> RuleMatch.all(new Condition(ConditionSource.HEADER, "x-app", ConditionOp.EXACT,
					List.of("android")), new Condition(ConditionSource.HEADER, "x-tenant", ConditionOp.PREFIX,
							List.of("acme-" + i)));
		};
		// Every third rule also has a split; the fixture requests never reach it.
		StickySplit split = (i % 3 == 0) ? new StickySplit(ConditionSource.HEADER, "x-user-id", 1000, "rule-" + i)
				: null;
		return new EdgeRule("rule-" + i, group, i, true, match, split);
	}

}
