package io.github.isolation.kafka.lanes;

import io.github.isolation.core.IsolationGroup;

/**
 * A fail-fast record that waits, with {@code isolation.kafka.lanes.fail-fast=wait}, for a
 * consumer of its group: thrown by a stable instance's standby consumer in the record's lane
 * group, whose error handler then seeks back to the record and tries it again after a pause,
 * without end and without calling a recoverer. When a consumer of the record's group joins the
 * lane group, the partition moves to it at the record, and it processes the record.
 *
 * @since 0.1.0
 */
public class RecordWaitingException extends RecordRoutingException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param serviceId the consuming service
	 * @param group the record's group
	 * @param record where the record is, {@code topic-partition@offset}
	 */
	public RecordWaitingException(String serviceId, IsolationGroup group, String record) {
		super(serviceId, group, record);
	}

	@Override
	public String getMessage() {
		String service = "'" + getServiceId() + "'";
		String group = "'" + getRequestedGroup() + "'";
		return "Record " + getRecord() + " of isolation group " + group + " waits: " + service
				+ " has no live consumer in " + group + " and is in the record's isolation-fail-fast list, so stable"
				+ " must not process it; it is processed when a consumer of " + service + " in " + group
				+ " starts, and the records of " + group + " after it on its partition wait with it";
	}

}
