package io.github.isolation.autoconfigure.zookeeper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.isolation.autoconfigure.observation.BoundedGroupNames;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingsListener;
import io.github.isolation.zookeeper.BindingsSnapshot;
import io.github.isolation.zookeeper.BindingsView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the ZooKeeper view: {@value #BINDINGS} per group (groups beyond the limit of
 * {@link BoundedGroupNames} summed as {@code other}), {@value #VIEW_AGE} (how stale the served
 * view may be: zero while connected and loaded, else the time since the connection dropped or,
 * before the first load, since the view started), and {@value #CONNECTED}.
 *
 * @since 0.1.0
 */
public class ZookeeperMetrics implements MeterBinder {

	/** The gauge of instance bindings per group. */
	public static final String BINDINGS = "isolation.zookeeper.bindings";

	/** The gauge of the view's age in seconds. */
	public static final String VIEW_AGE = "isolation.zookeeper.view.age";

	/** The gauge of the connection: 1 connected, 0 not. */
	public static final String CONNECTED = "isolation.zookeeper.connected";

	private final BindingsView view;

	private final BoundedGroupNames groups;

	public ZookeeperMetrics(BindingsView view, BoundedGroupNames groups) {
		this.view = view;
		this.groups = groups;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(VIEW_AGE, this.view, (view) -> view.age().toMillis() / 1000.0)
			.description("How stale the served bindings view may be; 0 while connected and loaded")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder(CONNECTED, this.view, (view) -> (view.connection() == BindingsView.Connection.CONNECTED) ? 1 : 0)
			.description("Whether the bindings view is connected to ZooKeeper")
			.register(registry);
		MultiGauge bindings = MultiGauge.builder(BINDINGS)
			.description("Instance bindings per isolation group in the ZooKeeper view")
			.register(registry);
		update(bindings, this.view.snapshot());
		this.view.addListener(new BindingsListener() {

			@Override
			public void bindingsChanged(BindingsSnapshot snapshot) {
				update(bindings, snapshot);
			}

		});
	}

	private void update(MultiGauge gauge, BindingsSnapshot snapshot) {
		Map<String, Integer> counts = new TreeMap<>();
		for (Map.Entry<IsolationGroup, Integer> entry : snapshot.instanceCounts().entrySet()) {
			counts.merge(this.groups.tagValue(entry.getKey()), entry.getValue(), Integer::sum);
		}
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		counts.forEach((group, count) -> rows.add(MultiGauge.Row.of(Tags.of("group", group), count)));
		gauge.register(rows, true);
	}

}
