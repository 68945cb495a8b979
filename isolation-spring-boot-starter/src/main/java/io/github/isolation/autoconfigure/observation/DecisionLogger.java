package io.github.isolation.autoconfigure.observation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.isolation.autoconfigure.RoutingListener;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.RouteOutcome;
import io.github.isolation.core.TagRejection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Logs the decisions worth a look: a fallback once at debug, a held decision (instances
 * discovery left out but that still run) at info, a fail-fast or no-instance call
 * at warn with the full explanation, and a dropped tag at warn; each kind at most once per
 * interval per service and group, so that a storm of identical failures cannot flood the log.
 *
 * @since 0.1.0
 */
public class DecisionLogger implements RoutingListener {

	private static final Log logger = LogFactory.getLog(DecisionLogger.class);

	// Bounds the memory of what was logged when, whatever arrives.
	private static final int MAX_KEYS = 1024;

	private final Duration interval;

	private final Clock clock;

	private final Map<String, Instant> lastLogged = new ConcurrentHashMap<>();

	/**
	 * Creates the logger.
	 * @param interval the least time between two lines about the same thing
	 * @param clock the clock
	 */
	public DecisionLogger(Duration interval, Clock clock) {
		this.interval = interval;
		this.clock = clock;
	}

	@Override
	public void decided(RouteDecision<ServiceInstance> decision) {
		RouteOutcome outcome = decision.outcome();
		if (outcome == RouteOutcome.FALLBACK && logger.isDebugEnabled()
				&& due("fallback " + decision.serviceId() + " " + decision.requestedGroup())) {
			logger.debug("No instance of '" + decision.serviceId() + "' in isolation group '"
					+ decision.requestedGroup() + "': falling back to stable");
		}
		else if (outcome == RouteOutcome.HELD && logger.isInfoEnabled()
				&& due("held " + decision.serviceId() + " " + decision.requestedGroup())) {
			logger.info("Discovery lists no instance of '" + decision.serviceId() + "' in isolation group '"
					+ decision.requestedGroup() + "': calling the " + decision.instances().size()
					+ " it listed before, whose own bindings show them still running");
		}
		else if (!outcome.isRoutable() && logger.isWarnEnabled()
				&& due(outcome + " " + decision.serviceId() + " " + decision.requestedGroup())) {
			logger.warn(new IsolationRoutingException(decision).getMessage());
		}
	}

	@Override
	public void rejected(String field, TagRejection reason) {
		if (logger.isWarnEnabled() && due("rejected " + field + " " + reason)) {
			logger.warn("Dropped the " + field + " tag received from the network (" + reason.description()
					+ "); the request goes on without it");
		}
	}

	private boolean due(String key) {
		Instant now = this.clock.instant();
		Instant last = this.lastLogged.get(key);
		if (last != null && last.plus(this.interval).isAfter(now)) {
			return false;
		}
		if (last == null && this.lastLogged.size() >= MAX_KEYS) {
			this.lastLogged.clear();
		}
		this.lastLogged.put(key, now);
		return true;
	}

}
