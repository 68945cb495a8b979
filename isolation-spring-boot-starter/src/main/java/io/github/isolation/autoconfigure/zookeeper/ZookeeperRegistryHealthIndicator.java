package io.github.isolation.autoconfigure.zookeeper;

import io.github.isolation.zookeeper.BindingsView;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of the ZooKeeper bindings registry: {@code UP} while connected, and also while
 * disconnected with a view loaded, because routing goes on from the last view (the details
 * say how old it is); {@code DOWN} only when no view was ever loaded and
 * {@code isolation.zookeeper.required=true}.
 *
 * @since 0.1.0
 */
public class ZookeeperRegistryHealthIndicator implements HealthIndicator {

	private final ZookeeperRegistryState state;

	public ZookeeperRegistryHealthIndicator(ZookeeperRegistryState state) {
		this.state = state;
	}

	@Override
	public Health health() {
		BindingsView view = this.state.view();
		Health.Builder health;
		if (view.connection() == BindingsView.Connection.CONNECTED && view.isInitialized()) {
			health = Health.up();
		}
		else if (view.isInitialized()) {
			health = Health.up()
				.withDetail("view", "serving the last view of " + this.state.bindings() + " bindings, "
						+ view.age().toSeconds() + " seconds old");
		}
		else if (this.state.required()) {
			health = Health.down().withDetail("view", "no view of the bindings was ever loaded");
		}
		else {
			health = Health.up()
				.withDetail("view", "no view of the bindings loaded yet; routing by discovery metadata");
		}
		return health.withDetails(this.state.describe()).build();
	}

}
