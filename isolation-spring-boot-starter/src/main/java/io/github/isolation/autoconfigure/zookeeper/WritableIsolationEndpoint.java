package io.github.isolation.autoconfigure.zookeeper;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.isolation.autoconfigure.IsolationProperties;
import io.github.isolation.autoconfigure.edge.EdgeRuleActivity;
import io.github.isolation.autoconfigure.edge.IsolationEdgeProperties;
import io.github.isolation.autoconfigure.observation.IsolationEndpoint;
import io.github.isolation.autoconfigure.observation.RecentDecisions;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingConflictException;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.InstanceAddress;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;

/**
 * The {@code isolation} endpoint with writes, present only with
 * {@code isolation.debug.endpoint-writes=true}: bind this instance to a group
 * ({@code POST {"group": "feature-x"}}), or remove its binding ({@code DELETE}), as a persistent
 * binding in ZooKeeper written with this application's ZooKeeper credentials, so the same ACL
 * applies as for any other writer.
 *
 * @since 0.1.0
 */
@Endpoint(id = "isolation")
public class WritableIsolationEndpoint extends IsolationEndpoint {

	private final ZookeeperLocalGroup localGroup;

	private final BindingStore store;

	public WritableIsolationEndpoint(ZookeeperLocalGroup localGroup, IsolationProperties properties,
			RecentDecisions decisions, GroupBindings bindings, ObjectProvider<LoadBalancerClientFactory> loadBalancers,
			ObjectProvider<RegistryState> registry, ObjectProvider<IsolationEdgeProperties> edge,
			ObjectProvider<EdgeRuleActivity> edgeRules, ObjectProvider<Section> sections,
			IsolationZookeeperClient zookeeper) {
		super(localGroup, properties, decisions, bindings, loadBalancers, registry, edge, edgeRules, sections);
		this.localGroup = localGroup;
		this.store = new BindingStore(zookeeper.client(), zookeeper.paths(), zookeeper.credentials());
	}

	@WriteOperation
	public Map<String, Object> bind(String group) {
		try {
			IsolationGroup target = IsolationGroup.of(group);
			this.store.bind(this.localGroup.serviceId(), address(), target);
			return binding(target.name());
		}
		catch (IllegalArgumentException | BindingConflictException ex) {
			// A bad group, or this instance's own ephemeral binding, is the caller's to fix: 400, not 500.
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

	@DeleteOperation
	public Map<String, Object> unbind() {
		try {
			this.store.unbind(this.localGroup.serviceId(), address());
			return binding(null);
		}
		catch (BindingConflictException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

	private InstanceAddress address() {
		InstanceAddress address = this.localGroup.address();
		if (address == null) {
			throw new IllegalStateException("This instance's address is not known yet; set isolation.instance.host and "
					+ "isolation.instance.port");
		}
		return address;
	}

	private Map<String, Object> binding(String group) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("service", this.localGroup.serviceId());
		result.put("address", address().toString());
		result.put("group", group);
		return result;
	}

}
