package io.github.isolation.kafka.lanes;

import io.github.isolation.core.IsolationGroup;

/**
 * A record that waits in its lane group: thrown by a stable instance's standby consumer there,
 * whose error handler then seeks back to the record and tries it again after a pause, without
 * end and without calling a recoverer. Either a fail-fast record that waits, with
 * {@code isolation.kafka.lanes.fail-fast=wait}, for a consumer of its group: when one joins the
 * lane group, the partition moves to it at the record, and it processes the record. Or a record
 * of a lane that is retiring, which waits until the stable consumer of its partition has said
 * where the lane closes there: below, the standby processes it, at or above, stable does.
 *
 * @since 0.1.0
 */
public class RecordWaitingException extends RecordRoutingException {

	private static final long serialVersionUID = 1L;

	private final boolean closing;

	/**
	 * Creates the exception.
	 * @param serviceId the consuming service
	 * @param group the record's group
	 * @param record where the record is, {@code topic-partition@offset}
	 */
	public RecordWaitingException(String serviceId, IsolationGroup group, String record) {
		this(serviceId, group, record, false);
	}

	private RecordWaitingException(String serviceId, IsolationGroup group, String record, boolean closing) {
		super(serviceId, group, record);
		this.closing = closing;
	}

	/**
	 * A record of a retiring lane, which waits until the lane's closing offset on its partition
	 * is known.
	 * @param serviceId the consuming service
	 * @param group the record's group
	 * @param record where the record is, {@code topic-partition@offset}
	 * @return the exception
	 */
	public static RecordWaitingException forClosingLane(String serviceId, IsolationGroup group, String record) {
		return new RecordWaitingException(serviceId, group, record, true);
	}

	@Override
	public String getMessage() {
		String service = "'" + getServiceId() + "'";
		String group = "'" + getRequestedGroup() + "'";
		if (this.closing) {
			return "Record " + getRecord() + " of isolation group " + group + " waits: the lane of " + group
					+ " is retiring, and a stable consumer of " + service + " has not said yet where it closes on"
					+ " the record's partition";
		}
		return "Record " + getRecord() + " of isolation group " + group + " waits: " + service
				+ " has no live consumer in " + group + " and is in the record's isolation-fail-fast list, so stable"
				+ " must not process it; it is processed when a consumer of " + service + " in " + group
				+ " starts, and the records of " + group + " after it on its partition wait with it";
	}

}
