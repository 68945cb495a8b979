package io.github.isolation.zookeeper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.github.isolation.core.IsolationGroup;

/**
 * An immutable set of bindings, as a {@link BindingsView} serves it at one moment. Lookups
 * take the service id, host and address in any spelling that {@link BindingNames} folds to
 * the same canonical form, and never throw.
 *
 * @since 0.1.0
 */
public final class BindingsSnapshot {

	/** No bindings at all. */
	public static final BindingsSnapshot EMPTY = new BindingsSnapshot(List.of(), List.of());

	private final List<InstanceBinding> instanceBindings;

	private final List<SourceBinding> sourceBindings;

	private final Map<InstanceKey, InstanceBinding> byInstance;

	private final Map<String, SourceBinding> bySource;

	private BindingsSnapshot(List<InstanceBinding> instanceBindings, List<SourceBinding> sourceBindings) {
		Map<InstanceKey, InstanceBinding> instances = new HashMap<>();
		List<InstanceBinding> keptInstances = new ArrayList<>(instanceBindings.size());
		for (InstanceBinding binding : instanceBindings) {
			InstanceKey key = new InstanceKey(binding.serviceId(), binding.address().host(), binding.address().port());
			if (instances.putIfAbsent(key, binding) == null) {
				keptInstances.add(binding);
			}
		}
		Map<String, SourceBinding> sources = new HashMap<>();
		List<SourceBinding> keptSources = new ArrayList<>(sourceBindings.size());
		for (SourceBinding binding : sourceBindings) {
			if (sources.putIfAbsent(binding.address(), binding) == null) {
				keptSources.add(binding);
			}
		}
		keptInstances.sort(Comparator.comparing(InstanceBinding::serviceId)
			.thenComparing((binding) -> binding.address().host())
			.thenComparingInt((binding) -> binding.address().port()));
		keptSources.sort(Comparator.comparing(SourceBinding::address));
		this.instanceBindings = Collections.unmodifiableList(keptInstances);
		this.sourceBindings = Collections.unmodifiableList(keptSources);
		this.byInstance = instances;
		this.bySource = sources;
	}

	/**
	 * A snapshot of some bindings. Where two bindings are for the same instance or source,
	 * the first wins.
	 * @param instanceBindings the instance bindings
	 * @param sourceBindings the source bindings
	 * @return the snapshot
	 */
	public static BindingsSnapshot of(Collection<InstanceBinding> instanceBindings,
			Collection<SourceBinding> sourceBindings) {
		return new BindingsSnapshot(List.copyOf(instanceBindings), List.copyOf(sourceBindings));
	}

	/**
	 * The instance bindings.
	 * @return the bindings, ordered by service id, host and port
	 */
	public List<InstanceBinding> instanceBindings() {
		return this.instanceBindings;
	}

	/**
	 * The source bindings.
	 * @return the bindings, ordered by address
	 */
	public List<SourceBinding> sourceBindings() {
		return this.sourceBindings;
	}

	/**
	 * Whether there are no bindings.
	 * @return {@code true} if there is neither an instance nor a source binding
	 */
	public boolean isEmpty() {
		return this.instanceBindings.isEmpty() && this.sourceBindings.isEmpty();
	}

	/**
	 * The binding of an instance.
	 * @param serviceId the service id, in any case, may be {@code null}
	 * @param host the host, IPv6 with or without brackets, may be {@code null}
	 * @param port the port
	 * @return the binding, or empty if there is none or the arguments are malformed
	 */
	public Optional<InstanceBinding> instanceBinding(String serviceId, String host, int port) {
		if (serviceId == null || host == null || this.byInstance.isEmpty()) {
			return Optional.empty();
		}
		// Discovery usually reports the canonical form already: try it before folding anything.
		InstanceBinding binding = this.byInstance.get(new InstanceKey(serviceId, host, port));
		if (binding != null) {
			return Optional.of(binding);
		}
		String canonicalServiceId = BindingNames.canonicalServiceId(serviceId);
		String canonicalHost = BindingNames.canonicalHost(host);
		if (canonicalServiceId == null || canonicalHost == null
				|| (canonicalServiceId.equals(serviceId) && canonicalHost.equals(host))) {
			return Optional.empty();
		}
		return Optional.ofNullable(this.byInstance.get(new InstanceKey(canonicalServiceId, canonicalHost, port)));
	}

	/**
	 * The binding of a source address.
	 * @param address an IP address, may be {@code null}
	 * @return the binding, or empty if there is none or the address is malformed
	 */
	public Optional<SourceBinding> sourceBinding(String address) {
		if (address == null || this.bySource.isEmpty()) {
			return Optional.empty();
		}
		SourceBinding binding = this.bySource.get(address);
		if (binding != null) {
			return Optional.of(binding);
		}
		// Only IPv6 has more than one spelling (0:0:0:0:0:0:0:1 is ::1).
		String canonical = (address.indexOf(':') >= 0) ? BindingNames.canonicalIp(address) : null;
		return (canonical != null) ? Optional.ofNullable(this.bySource.get(canonical)) : Optional.empty();
	}

	/**
	 * The number of instances bound to each group.
	 * @return the counts, ordered by group name
	 */
	public Map<IsolationGroup, Integer> instanceCounts() {
		Map<String, Integer> counts = new TreeMap<>();
		for (InstanceBinding binding : this.instanceBindings) {
			counts.merge(binding.group().name(), 1, Integer::sum);
		}
		Map<IsolationGroup, Integer> result = new LinkedHashMap<>();
		counts.forEach((group, count) -> result.put(IsolationGroup.of(group), count));
		return Collections.unmodifiableMap(result);
	}

	@Override
	public String toString() {
		return "BindingsSnapshot[" + this.instanceBindings.size() + " instance bindings, "
				+ this.sourceBindings.size() + " source bindings]";
	}

	private record InstanceKey(String serviceId, String host, int port) {
	}

}
