package io.github.isolation.autoconfigure.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.isolation.autoconfigure.edge.EdgeRuleListener;
import io.github.isolation.autoconfigure.edge.EdgeRuleOutcome;
import io.github.isolation.core.rules.EdgeRule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the requests each edge rule applied to in Micrometer: {@value #RULES}, tagged
 * {@code rule} (the rule's id; rules are few and named by operators, so the tag stays bounded)
 * and {@code outcome} ({@code coloured}, {@code group_not_allowed}).
 *
 * @since 0.1.0
 */
public class EdgeRuleMetrics implements EdgeRuleListener {

	/** The counter of requests edge rules applied to. */
	public static final String RULES = "isolation.edge.rules";

	private final MeterRegistry registry;

	// Counters are looked up once per key: building a meter id on every call would allocate.
	private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

	/**
	 * Creates the metrics.
	 * @param registry where the meters go
	 */
	public EdgeRuleMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void applied(EdgeRule rule, EdgeRuleOutcome outcome) {
		this.counters.computeIfAbsent(new Key(rule.id(), outcome), this::counter).increment();
	}

	private Counter counter(Key key) {
		return Counter.builder(RULES)
			.description("Requests entering at this edge that an edge rule applied to")
			.tag("rule", key.rule())
			.tag("outcome", key.outcome().tagValue())
			.register(this.registry);
	}

	private record Key(String rule, EdgeRuleOutcome outcome) {
	}

}
