package io.github.isolation.kafka.lanes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.isolation.core.RecordLaneRule.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link LaneMeters} as Micrometer counters: {@value KafkaLanes#DECISIONS}{@code {listener,
 * outcome}} and {@value KafkaLanes#OVERLAPS}{@code {listener}}. Each counter is registered once
 * and kept, since a decision is counted for every record.
 *
 * @since 0.1.0
 */
public final class MicrometerLaneMeters implements LaneMeters {

	private final MeterRegistry registry;

	private final Map<String, Map<Outcome, Counter>> decisions = new ConcurrentHashMap<>();

	private final Map<String, Counter> overlaps = new ConcurrentHashMap<>();

	/**
	 * Counts into a registry.
	 * @param registry the registry
	 */
	public MicrometerLaneMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void decision(String listener, Outcome outcome) {
		this.decisions.computeIfAbsent(listener, (name) -> new ConcurrentHashMap<>())
			.computeIfAbsent(outcome, (decided) -> Counter.builder(KafkaLanes.DECISIONS)
				.description("What a Kafka listener's consumer did with each record under the isolation rule")
				.tag("listener", listener)
				.tag("outcome", decided.tagValue())
				.register(this.registry))
			.increment();
	}

	@Override
	public void overlaps(String listener, long records) {
		this.overlaps
			.computeIfAbsent(listener,
					(name) -> Counter.builder(KafkaLanes.OVERLAPS)
						.description("Records a stable consumer processed before it learnt that their lane opened")
						.tag("listener", name)
						.register(this.registry))
			.increment(records);
	}

}
