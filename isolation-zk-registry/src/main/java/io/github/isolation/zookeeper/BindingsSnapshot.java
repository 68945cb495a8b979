package io.github.isolation.zookeeper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
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
 * <p>A snapshot that differs from another by one binding shares almost all of its memory with
 * it: {@link BindingsView} makes the next snapshot from the last in time independent of the
 * number of bindings, so that a change costs what it changes. The ordered lists
 * ({@link #instanceBindings()}, {@link #sourceBindings()}) are made on first use and kept.
 *
 * @since 0.1.0
 */
public final class BindingsSnapshot {

	/** No bindings at all. */
	public static final BindingsSnapshot EMPTY = new BindingsSnapshot(HashTrie.empty(), HashTrie.empty(),
			HashTrie.empty());

	private static final Comparator<InstanceBinding> INSTANCE_ORDER = Comparator
		.comparing(InstanceBinding::serviceId)
		.thenComparing((binding) -> binding.address().host())
		.thenComparingInt((binding) -> binding.address().port());

	private final HashTrie<InstanceKey, InstanceBinding> byInstance;

	private final HashTrie<String, SourceBinding> bySource;

	// Instance bindings per group, kept with each change so that counting them costs the
	// number of groups, not of bindings.
	private final HashTrie<IsolationGroup, Integer> counts;

	// Made on first use: sorting every binding on each change would cost what the trie saves.
	private volatile List<InstanceBinding> instanceBindings;

	private volatile List<SourceBinding> sourceBindings;

	private BindingsSnapshot(HashTrie<InstanceKey, InstanceBinding> byInstance, HashTrie<String, SourceBinding> bySource,
			HashTrie<IsolationGroup, Integer> counts) {
		this.byInstance = byInstance;
		this.bySource = bySource;
		this.counts = counts;
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
		HashTrie.Builder<InstanceKey, InstanceBinding> instances = HashTrie.builder();
		HashTrie.Builder<IsolationGroup, Integer> counts = HashTrie.builder();
		for (InstanceBinding binding : List.copyOf(instanceBindings)) {
			InstanceKey key = InstanceKey.of(binding);
			if (instances.get(key) == null) {
				instances.put(key, binding);
				Integer count = counts.get(binding.group());
				counts.put(binding.group(), (count != null) ? count + 1 : 1);
			}
		}
		HashTrie.Builder<String, SourceBinding> sources = HashTrie.builder();
		for (SourceBinding binding : List.copyOf(sourceBindings)) {
			if (sources.get(binding.address()) == null) {
				sources.put(binding.address(), binding);
			}
		}
		return new BindingsSnapshot(instances.build(), sources.build(), counts.build());
	}

	/**
	 * This snapshot with an instance binding added, or put in place of the one for the same
	 * instance.
	 * @param binding the binding
	 * @return the new snapshot, or this one if it holds that binding already
	 */
	BindingsSnapshot with(InstanceBinding binding) {
		InstanceKey key = InstanceKey.of(binding);
		InstanceBinding previous = this.byInstance.get(key);
		if (binding.equals(previous)) {
			return this;
		}
		HashTrie<IsolationGroup, Integer> counts = this.counts;
		if (previous != null) {
			counts = decrement(counts, previous.group());
		}
		Integer count = counts.get(binding.group());
		counts = counts.with(binding.group(), (count != null) ? count + 1 : 1);
		return new BindingsSnapshot(this.byInstance.with(key, binding), this.bySource, counts);
	}

	/**
	 * This snapshot without the binding of an instance.
	 * @param serviceId the canonical service id
	 * @param address the canonical address
	 * @return the new snapshot, or this one if the instance has no binding
	 */
	BindingsSnapshot withoutInstance(String serviceId, InstanceAddress address) {
		InstanceKey key = new InstanceKey(serviceId, address.host(), address.port());
		InstanceBinding previous = this.byInstance.get(key);
		if (previous == null) {
			return this;
		}
		return new BindingsSnapshot(this.byInstance.without(key), this.bySource,
				decrement(this.counts, previous.group()));
	}

	/**
	 * This snapshot with a source binding added, or put in place of the one for the same address.
	 * @param binding the binding
	 * @return the new snapshot, or this one if it holds that binding already
	 */
	BindingsSnapshot with(SourceBinding binding) {
		if (binding.equals(this.bySource.get(binding.address()))) {
			return this;
		}
		return new BindingsSnapshot(this.byInstance, this.bySource.with(binding.address(), binding), this.counts);
	}

	/**
	 * This snapshot without the binding of a source address.
	 * @param address the canonical address
	 * @return the new snapshot, or this one if the address has no binding
	 */
	BindingsSnapshot withoutSource(String address) {
		HashTrie<String, SourceBinding> sources = this.bySource.without(address);
		return (sources == this.bySource) ? this : new BindingsSnapshot(this.byInstance, sources, this.counts);
	}

	private static HashTrie<IsolationGroup, Integer> decrement(HashTrie<IsolationGroup, Integer> counts,
			IsolationGroup group) {
		Integer count = counts.get(group);
		return (count == null || count <= 1) ? counts.without(group) : counts.with(group, count - 1);
	}

	/**
	 * The instance bindings.
	 * @return the bindings, ordered by service id, host and port
	 */
	public List<InstanceBinding> instanceBindings() {
		List<InstanceBinding> list = this.instanceBindings;
		if (list == null) {
			List<InstanceBinding> sorted = new ArrayList<>(this.byInstance.size());
			this.byInstance.forEach((key, binding) -> sorted.add(binding));
			sorted.sort(INSTANCE_ORDER);
			list = Collections.unmodifiableList(sorted);
			this.instanceBindings = list;
		}
		return list;
	}

	/**
	 * The source bindings.
	 * @return the bindings, ordered by address
	 */
	public List<SourceBinding> sourceBindings() {
		List<SourceBinding> list = this.sourceBindings;
		if (list == null) {
			List<SourceBinding> sorted = new ArrayList<>(this.bySource.size());
			this.bySource.forEach((key, binding) -> sorted.add(binding));
			sorted.sort(Comparator.comparing(SourceBinding::address));
			list = Collections.unmodifiableList(sorted);
			this.sourceBindings = list;
		}
		return list;
	}

	/**
	 * The number of instance bindings, without making the ordered list of them.
	 * @return {@code instanceBindings().size()}
	 * @since 0.1.0
	 */
	public int instanceBindingCount() {
		return this.byInstance.size();
	}

	/**
	 * The number of source bindings, without making the ordered list of them.
	 * @return {@code sourceBindings().size()}
	 * @since 0.1.0
	 */
	public int sourceBindingCount() {
		return this.bySource.size();
	}

	/**
	 * Whether there are no bindings.
	 * @return {@code true} if there is neither an instance nor a source binding
	 */
	public boolean isEmpty() {
		return this.byInstance.isEmpty() && this.bySource.isEmpty();
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
		this.counts.forEach((group, count) -> counts.put(group.name(), count));
		Map<IsolationGroup, Integer> result = new LinkedHashMap<>();
		counts.forEach((group, count) -> result.put(IsolationGroup.of(group), count));
		return Collections.unmodifiableMap(result);
	}

	@Override
	public String toString() {
		return "BindingsSnapshot[" + this.byInstance.size() + " instance bindings, " + this.bySource.size()
				+ " source bindings]";
	}

	private record InstanceKey(String serviceId, String host, int port) {

		static InstanceKey of(InstanceBinding binding) {
			return new InstanceKey(binding.serviceId(), binding.address().host(), binding.address().port());
		}

	}

}
