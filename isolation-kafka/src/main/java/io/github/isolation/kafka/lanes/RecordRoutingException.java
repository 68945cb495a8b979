package io.github.isolation.kafka.lanes;

import java.util.List;
import java.util.Set;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.RouteOutcome;

/**
 * A record that no stable consumer may process: its service is in the record's
 * {@code isolation-fail-fast} list and has no live consumer in the record's group. It reaches
 * the listener's error handler (its recoverer or dead-letter topic, if it has one).
 *
 * @since 0.1.0
 */
public class RecordRoutingException extends IsolationRoutingException {

	private static final long serialVersionUID = 1L;

	private final String record;

	/**
	 * Creates the exception.
	 * @param serviceId the consuming service
	 * @param group the record's group
	 * @param record where the record is, {@code topic-partition@offset}
	 */
	public RecordRoutingException(String serviceId, IsolationGroup group, String record) {
		super(new RouteDecision<>(serviceId, group, RouteOutcome.FAIL_FAST, List.of(), Set.of(IsolationGroup.STABLE)));
		this.record = record;
	}

	/**
	 * Where the record is.
	 * @return {@code topic-partition@offset}
	 */
	public String getRecord() {
		return this.record;
	}

	@Override
	public String getMessage() {
		String service = "'" + getServiceId() + "'";
		String group = "'" + getRequestedGroup() + "'";
		return "Record " + this.record + " of isolation group " + group + " is not processed: " + service
				+ " has no live consumer in " + group + " and is in the record's isolation-fail-fast list, so stable"
				+ " must not process it; start a consumer of " + service + " in " + group
				+ " (records sent from then on reach it) or send the record without " + service + " in isolation-fail-fast";
	}

}
