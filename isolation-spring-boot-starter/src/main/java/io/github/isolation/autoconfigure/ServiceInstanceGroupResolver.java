package io.github.isolation.autoconfigure;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.InstanceGroupResolver;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.LogSafe;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.client.ServiceInstance;

/**
 * The group of a discovered instance: its binding in {@link GroupBindings} first, then its
 * discovery metadata entry {@value IsolationTags#METADATA_GROUP}, else
 * {@link IsolationGroup#STABLE}. A malformed metadata value is logged once and ignored.
 *
 * @since 0.1.0
 */
public class ServiceInstanceGroupResolver implements InstanceGroupResolver<ServiceInstance> {

	private static final Log logger = LogFactory.getLog(ServiceInstanceGroupResolver.class);

	// Bounded so that a flood of distinct bad values cannot grow memory.
	private static final int MAX_WARNED = 256;

	private final GroupBindings bindings;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	/**
	 * Creates a resolver.
	 * @param bindings the bindings that win over metadata, {@link GroupBindings#NONE} for none
	 */
	public ServiceInstanceGroupResolver(GroupBindings bindings) {
		this.bindings = bindings;
	}

	@Override
	public IsolationGroup groupOf(ServiceInstance instance) {
		IsolationGroup bound = this.bindings
			.instanceGroup(instance.getServiceId(), instance.getHost(), instance.getPort())
			.orElse(null);
		if (bound != null) {
			return bound;
		}
		Map<String, String> metadata = instance.getMetadata();
		String raw = (metadata != null) ? metadata.get(IsolationTags.METADATA_GROUP) : null;
		if (raw == null) {
			return IsolationGroup.STABLE;
		}
		IsolationGroup group = IsolationGroup.parse(raw).orElse(null);
		if (group == null) {
			warnOnce(instance, raw);
			return IsolationGroup.STABLE;
		}
		return group;
	}

	/**
	 * Whether the instance's own binding, the one that goes when it stops, still binds it to the
	 * group: the sign that it is running there while discovery happens not to list it.
	 * @param instance an instance seen in an earlier list
	 * @param group the group it was in then
	 * @return {@code true} if its {@link GroupBindings#selfBoundGroup self-binding} is to that group
	 */
	@Override
	public boolean isRunningIn(ServiceInstance instance, IsolationGroup group) {
		return this.bindings.selfBoundGroup(instance.getServiceId(), instance.getHost(), instance.getPort())
			.filter(group::equals)
			.isPresent();
	}

	/**
	 * The generation of the bindings, so that routing that keeps the groups of a list of
	 * instances rebuilds them when a binding changes.
	 * @return the bindings' {@link GroupBindings#generation() generation}
	 */
	@Override
	public long generation() {
		return this.bindings.generation();
	}

	private void warnOnce(ServiceInstance instance, String raw) {
		String key = instance.getServiceId() + "@" + instance.getHost() + ":" + instance.getPort();
		if (this.warned.size() < MAX_WARNED && this.warned.add(key)) {
			logger.warn("Instance " + LogSafe.quote(key) + " has a malformed " + IsolationTags.METADATA_GROUP
					+ " metadata entry " + LogSafe.quote(raw) + "; treating it as stable");
		}
	}

}
