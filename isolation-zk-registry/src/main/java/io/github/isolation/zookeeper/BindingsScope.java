package io.github.isolation.zookeeper;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which bindings a {@link BindingsView} holds: all of them (the default), or only those of the
 * services this instance uses.
 *
 * <p>With {@link #used used}, the view holds the bindings of the listed services from the
 * start, and those of any other service from the moment {@link BindingsView#prepare} names it
 * (the starter does so when it creates a load-balancer client for the service); the source
 * bindings only if asked for (an edge needs them, nothing else does). ZooKeeper sends this
 * instance nothing about the other services: their changes cost it nothing. Only nodes under
 * the canonical (lower-case) spelling of a service id are followed.
 *
 * @param everything whether every binding is held; when {@code true} the other components are unused
 * @param services the canonical ids of the services held from the start
 * @param sources whether the source bindings are held
 * @param firstReadTimeout how long {@link BindingsView#prepare} waits at most for the first
 * read of a service's bindings before routing by discovery metadata
 * @since 0.1.0
 */
public record BindingsScope(boolean everything, Set<String> services, boolean sources, Duration firstReadTimeout) {

	/** The default time {@link BindingsView#prepare} waits for a service's bindings. */
	public static final Duration DEFAULT_FIRST_READ_TIMEOUT = Duration.ofSeconds(1);

	private static final BindingsScope ALL = new BindingsScope(true, Set.of(), true, DEFAULT_FIRST_READ_TIMEOUT);

	/**
	 * Validates the scope.
	 * @throws IllegalArgumentException if a service id is malformed or the timeout negative
	 */
	public BindingsScope {
		Objects.requireNonNull(services, "services must not be null");
		Objects.requireNonNull(firstReadTimeout, "firstReadTimeout must not be null");
		if (firstReadTimeout.isNegative()) {
			throw new IllegalArgumentException("firstReadTimeout must not be negative, but was " + firstReadTimeout);
		}
		Set<String> canonical = new LinkedHashSet<>();
		for (String service : services) {
			canonical.add(BindingNames.checkServiceId(service));
		}
		services = Set.copyOf(canonical);
	}

	/**
	 * Every binding under the root.
	 * @return the scope that holds everything
	 */
	public static BindingsScope all() {
		return ALL;
	}

	/**
	 * Only the bindings of the services this instance uses.
	 * @param services the services held from the start (this instance's own service, a
	 * configured list), in any case
	 * @param sources whether to hold the source bindings too (an edge does)
	 * @param firstReadTimeout how long the first read of a newly used service may block
	 * @return the scope
	 * @throws IllegalArgumentException if a service id is malformed or the timeout negative
	 */
	public static BindingsScope used(Collection<String> services, boolean sources, Duration firstReadTimeout) {
		return new BindingsScope(false, Set.copyOf(services), sources, firstReadTimeout);
	}

}
