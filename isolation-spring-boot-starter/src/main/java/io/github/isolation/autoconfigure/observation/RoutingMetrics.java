package io.github.isolation.autoconfigure.observation;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.isolation.autoconfigure.RoutingListener;
import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.TagRejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Counts routing decisions and dropped tags in Micrometer:
 * <ul>
 * <li>{@value #DECISIONS}, tagged {@code service}, {@code outcome} ({@code own_group},
 * {@code stable}, {@code fallback}, {@code fail_fast}, {@code no_instance}) and {@code group}
 * (the requested group, bounded by {@link BoundedGroupNames});</li>
 * <li>{@value #DROPPED_TAGS}, tagged {@code field} and {@code reason}.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public class RoutingMetrics implements RoutingListener {

	/** The counter of routing decisions. */
	public static final String DECISIONS = "isolation.routing.decisions";

	/** The counter of malformed tags dropped. */
	public static final String DROPPED_TAGS = "isolation.tags.dropped";

	private final MeterRegistry registry;

	private final BoundedGroupNames groups;

	// Counters are looked up once per key: building a meter id on every call would allocate.
	private final Map<DecisionKey, Counter> decisions = new ConcurrentHashMap<>();

	private final Map<DroppedKey, Counter> dropped = new ConcurrentHashMap<>();

	/**
	 * Creates the metrics.
	 * @param registry where the meters go
	 * @param groups the group names as tag values
	 */
	public RoutingMetrics(MeterRegistry registry, BoundedGroupNames groups) {
		this.registry = registry;
		this.groups = groups;
	}

	@Override
	public void decided(RouteDecision<ServiceInstance> decision) {
		DecisionKey key = new DecisionKey(decision.serviceId(), decision.outcome().name().toLowerCase(Locale.ROOT),
				this.groups.tagValue(decision.requestedGroup()));
		this.decisions.computeIfAbsent(key, this::counter).increment();
	}

	@Override
	public void rejected(String field, TagRejection reason) {
		this.dropped.computeIfAbsent(new DroppedKey(field, reason), this::counter).increment();
	}

	private Counter counter(DecisionKey key) {
		return Counter.builder(DECISIONS)
			.description("Load-balanced calls routed, or refused, by isolation group")
			.tag("service", key.service())
			.tag("outcome", key.outcome())
			.tag("group", key.group())
			.register(this.registry);
	}

	private Counter counter(DroppedKey key) {
		return Counter.builder(DROPPED_TAGS)
			.description("Tags received from the network and dropped: malformed, or not accepted at the edge")
			.tag("field", key.field())
			.tag("reason", key.reason().name().toLowerCase(Locale.ROOT))
			.register(this.registry);
	}

	private record DecisionKey(String service, String outcome, String group) {
	}

	private record DroppedKey(String field, TagRejection reason) {
	}

}
