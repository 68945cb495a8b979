package io.github.isolation.zookeeper;

import java.util.Objects;

import io.github.isolation.core.IsolationGroup;

/**
 * A binding of one instance of a service to an isolation group.
 *
 * @param serviceId the canonical (lower-case) service id
 * @param address the instance's address
 * @param group the group the instance is bound to
 * @param ephemeral {@code true} for an instance's own binding, which goes when its session does;
 * {@code false} for a persistent binding written by an operator or a tool
 * @since 0.1.0
 */
public record InstanceBinding(String serviceId, InstanceAddress address, IsolationGroup group, boolean ephemeral) {

	public InstanceBinding {
		serviceId = BindingNames.checkServiceId(serviceId);
		Objects.requireNonNull(address, "address must not be null");
		Objects.requireNonNull(group, "group must not be null");
	}

}
