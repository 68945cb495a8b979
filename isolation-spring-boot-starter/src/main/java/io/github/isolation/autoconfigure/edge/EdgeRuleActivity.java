package io.github.isolation.autoconfigure.edge;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.isolation.core.rules.EdgeRule;

/**
 * The edge rules in force and how often each applied: counts each rule's hits by
 * {@link EdgeRuleOutcome}, tells the {@link EdgeRuleListener}s (such as the meters), and
 * describes the rules with their hits for the {@code isolation} endpoint. A listener that throws
 * is logged and never breaks the request.
 *
 * @since 0.1.0
 */
public class EdgeRuleActivity {

	private static final Log logger = LogFactory.getLog(EdgeRuleActivity.class);

	private final EdgeRuleSource source;

	private final List<EdgeRuleListener> listeners;

	private final Map<String, Map<EdgeRuleOutcome, LongAdder>> hits = new ConcurrentHashMap<>();

	/**
	 * Creates the activity.
	 * @param source the rules
	 * @param listeners told of every rule that applies
	 */
	public EdgeRuleActivity(EdgeRuleSource source, List<EdgeRuleListener> listeners) {
		this.source = source;
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * The rules.
	 * @return the source the edge evaluates
	 */
	public EdgeRuleSource source() {
		return this.source;
	}

	/**
	 * Records that a rule applied to a request.
	 * @param rule the rule
	 * @param outcome what became of the request
	 */
	public void record(EdgeRule rule, EdgeRuleOutcome outcome) {
		this.hits.computeIfAbsent(rule.id(), (id) -> counters()).get(outcome).increment();
		for (EdgeRuleListener listener : this.listeners) {
			try {
				listener.applied(rule, outcome);
			}
			catch (RuntimeException ex) {
				logger.warn("An edge rule listener failed", ex);
			}
		}
	}

	/**
	 * How often a rule applied since this application started.
	 * @param id the rule's id
	 * @param outcome the outcome
	 * @return the count
	 */
	public long hits(String id, EdgeRuleOutcome outcome) {
		Map<EdgeRuleOutcome, LongAdder> counters = this.hits.get(id);
		return (counters != null) ? counters.get(outcome).sum() : 0;
	}

	/**
	 * The rules in force, in the order they are tried, with their hits, and the invalid rule
	 * nodes: what the {@code isolation} endpoint shows.
	 * @return plain data
	 */
	public Map<String, Object> describe() {
		List<Map<String, Object>> rules = new ArrayList<>();
		for (EdgeRule rule : this.source.rules().all()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("id", rule.id());
			entry.put("group", rule.group().name());
			entry.put("priority", rule.priority());
			entry.put("enabled", rule.enabled());
			entry.put("match", (rule.match() != null) ? rule.match().mode() + " " + rule.match().conditions() : "every request");
			entry.put("split", (rule.split() != null) ? rule.split().percent() + "% by " + rule.split().key() : "none");
			Map<String, Long> counts = new LinkedHashMap<>();
			for (EdgeRuleOutcome outcome : EdgeRuleOutcome.values()) {
				counts.put(outcome.tagValue(), hits(rule.id(), outcome));
			}
			entry.put("hits", counts);
			rules.add(entry);
		}
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("rules", rules);
		described.put("invalid", this.source.invalid());
		return described;
	}

	private static Map<EdgeRuleOutcome, LongAdder> counters() {
		Map<EdgeRuleOutcome, LongAdder> counters = new EnumMap<>(EdgeRuleOutcome.class);
		for (EdgeRuleOutcome outcome : EdgeRuleOutcome.values()) {
			counters.put(outcome, new LongAdder());
		}
		return counters;
	}

}
