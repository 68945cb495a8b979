package io.github.isolation.autoconfigure.observation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.isolation.autoconfigure.RoutingListener;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.RouteOutcome;

import org.springframework.cloud.client.ServiceInstance;

/**
 * The last non-trivial routing decisions (fallback, fail-fast, no instance), at most a fixed
 * number, and the services this application has called, for the actuator endpoint.
 *
 * @since 0.1.0
 */
public class RecentDecisions implements RoutingListener {

	// Enough for any real application's downstream services; bounds memory if ids are hostile.
	private static final int MAX_SERVICES = 256;

	private final int capacity;

	private final Clock clock;

	private final Deque<Entry> entries = new ArrayDeque<>();

	private final Set<String> services = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the record.
	 * @param capacity how many decisions to keep
	 * @param clock the clock for their times
	 */
	public RecentDecisions(int capacity, Clock clock) {
		this.capacity = capacity;
		this.clock = clock;
	}

	@Override
	public void decided(RouteDecision<ServiceInstance> decision) {
		if (this.services.size() < MAX_SERVICES) {
			this.services.add(decision.serviceId());
		}
		RouteOutcome outcome = decision.outcome();
		if (outcome == RouteOutcome.OWN_GROUP || outcome == RouteOutcome.STABLE || this.capacity == 0) {
			return;
		}
		String message = outcome.isRoutable() ? null : new IsolationRoutingException(decision).getMessage();
		Entry entry = new Entry(this.clock.instant(), decision.serviceId(), decision.requestedGroup().name(), outcome,
				message);
		synchronized (this.entries) {
			if (this.entries.size() == this.capacity) {
				this.entries.removeFirst();
			}
			this.entries.addLast(entry);
		}
	}

	/**
	 * The recorded decisions, newest first.
	 * @return a copy
	 */
	public List<Entry> entries() {
		synchronized (this.entries) {
			List<Entry> newestFirst = new ArrayList<>(this.entries);
			Collections.reverse(newestFirst);
			return newestFirst;
		}
	}

	/**
	 * The services this application has called through the load balancer.
	 * @return the service ids
	 */
	public Set<String> services() {
		return Set.copyOf(this.services);
	}

	/**
	 * One decision.
	 *
	 * @param time when it was made
	 * @param service the service called
	 * @param group the requested group
	 * @param outcome the outcome
	 * @param message the explanation of a refused call, else {@code null}
	 */
	public record Entry(Instant time, String service, String group, RouteOutcome outcome, String message) {
	}

}
