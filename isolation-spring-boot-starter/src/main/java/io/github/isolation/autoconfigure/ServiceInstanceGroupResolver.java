package io.github.isolation.autoconfigure;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.InstanceGroupResolver;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.LogSafe;
import io.github.isolation.core.ParsedGroups;
import io.github.isolation.core.TagRejection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.client.ServiceInstance;

/**
 * The group of a discovered instance: its binding in {@link GroupBindings} first, then its
 * discovery metadata entry {@value IsolationTags#METADATA_GROUP}, else
 * {@link IsolationGroup#STABLE}. A malformed metadata value is logged once per instance and
 * ignored. Valid metadata values are remembered once parsed (a bounded number of them), so
 * that the lists of a discovery client that builds its instances anew on every call are not
 * parsed again.
 *
 * @since 0.1.0
 */
public class ServiceInstanceGroupResolver implements InstanceGroupResolver<ServiceInstance> {

	private static final Log logger = LogFactory.getLog(ServiceInstanceGroupResolver.class);

	// Bounded so that a flood of distinct bad values cannot grow memory.
	private static final int MAX_WARNED = 256;

	// Discovery metadata repeats a handful of group names over and over.
	private static final int MAX_PARSED = 1024;

	// Rejections are told by warnOnce, once per instance rather than once per call.
	private static final Consumer<TagRejection> IGNORE_REJECTION = (rejection) -> {
	};

	private final GroupBindings bindings;

	private final ParsedGroups parsed = new ParsedGroups(MAX_PARSED);

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
		return groupOf(instance, null);
	}

	/**
	 * The group of an instance that is likely to be in a given one: a metadata value that is
	 * that group's name is taken for it without a look at what names were parsed before.
	 * @param instance the instance
	 * @param likely the group it is probably in, may be {@code null}
	 * @return its group, as {@link #groupOf(ServiceInstance)} answers it
	 */
	@Override
	public IsolationGroup groupOf(ServiceInstance instance, IsolationGroup likely) {
		// Asked for every instance of every list a discovery client builds anew: no lookup where
		// there are no bindings, no parse of a value that names the likely group or was parsed before.
		if (this.bindings != GroupBindings.NONE) {
			Optional<IsolationGroup> bound = this.bindings.instanceGroup(instance.getServiceId(), instance.getHost(),
					instance.getPort());
			if (bound.isPresent()) {
				return bound.get();
			}
		}
		Map<String, String> metadata = instance.getMetadata();
		String raw = (metadata != null) ? metadata.get(IsolationTags.METADATA_GROUP) : null;
		if (raw == null) {
			return IsolationGroup.STABLE;
		}
		if (likely != null && raw.equals(likely.name())) {
			return likely;
		}
		IsolationGroup group = this.parsed.parse(raw, IGNORE_REJECTION);
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
			.map(group::equals)
			.orElse(false);
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

	/**
	 * The generation of one service's bindings, so that a binding change of one service
	 * rebuilds the kept groups of that service only.
	 * @param serviceId the service routed
	 * @return the bindings' {@link GroupBindings#generation(String) generation} for it
	 */
	@Override
	public long generation(String serviceId) {
		return this.bindings.generation(serviceId);
	}

	private void warnOnce(ServiceInstance instance, String raw) {
		if (this.warned.size() >= MAX_WARNED) {
			return;
		}
		String key = instance.getServiceId() + "@" + instance.getHost() + ":" + instance.getPort();
		if (this.warned.size() < MAX_WARNED && this.warned.add(key)) {
			logger.warn("Instance " + LogSafe.quote(key) + " has a malformed " + IsolationTags.METADATA_GROUP
					+ " metadata entry " + LogSafe.quote(raw) + "; treating it as stable");
		}
	}

}
