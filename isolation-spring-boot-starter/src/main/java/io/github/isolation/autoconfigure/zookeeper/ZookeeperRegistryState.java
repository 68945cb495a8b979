package io.github.isolation.autoconfigure.zookeeper;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.isolation.autoconfigure.observation.IsolationEndpoint;
import io.github.isolation.zookeeper.BindingsView;

/**
 * The state of the ZooKeeper view of bindings, for the actuator endpoint and the health
 * indicator. Never shows credentials.
 *
 * @since 0.1.0
 */
public class ZookeeperRegistryState implements IsolationEndpoint.RegistryState {

	private final BindingsView view;

	private final String connectString;

	private final String root;

	private final boolean required;

	public ZookeeperRegistryState(BindingsView view, String connectString, String root, boolean required) {
		this.view = view;
		this.connectString = connectString;
		this.root = root;
		this.required = required;
	}

	/** @return the view */
	public BindingsView view() {
		return this.view;
	}

	/** @return whether the application needs bindings to route correctly */
	public boolean required() {
		return this.required;
	}

	/** @return how many instance bindings the view holds */
	public int bindings() {
		return this.view.snapshot().instanceBindingCount();
	}

	@Override
	public Map<String, Object> describe() {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("connectString", this.connectString);
		state.put("root", this.root);
		state.put("connection", this.view.connection().name());
		state.put("initialized", this.view.isInitialized());
		state.put("viewAgeSeconds", this.view.age().toSeconds());
		state.put("instanceBindings", bindings());
		state.put("sourceBindings", this.view.snapshot().sourceBindingCount());
		return state;
	}

}
