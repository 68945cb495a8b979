package io.github.isolation.autoconfigure.task;

import io.github.isolation.core.IsolationTags;
import io.micrometer.tracing.BaggageManager;
import io.micrometer.tracing.BaggageView;

/**
 * The isolation baggage of the code that submitted the task running on this thread, as it was
 * when the task was submitted. A task is handed the tracing context of its submitter, and that
 * context is shared, not copied: when the submitting request ends, the baggage that the library
 * put in place for that request alone (a tag in a form the tracing bridge does not read itself)
 * is taken out of it again, while the task may still be running. So a field that the live
 * baggage lacks is read from here.
 *
 * <p>Set by {@link IsolationTaskDecorator} for the duration of a task; for the library's own
 * use.
 *
 * @since 0.1.0
 */
public final class TaskBaggage {

	private static final ThreadLocal<TaskBaggage> CURRENT = new ThreadLocal<>();

	private final String group;

	private final String failFast;

	private TaskBaggage(String group, String failFast) {
		this.group = group;
		this.failFast = failFast;
	}

	/**
	 * The baggage of the task running on this thread, as its submitter had it.
	 * @return the baggage, or {@code null} outside a decorated task or when its submitter had none
	 */
	public static TaskBaggage current() {
		return CURRENT.get();
	}

	/**
	 * The isolation baggage on this thread now, to hand to a task: the live baggage's values,
	 * else, inside another task, the values that task was handed.
	 * @param baggage the tracing baggage
	 * @return the baggage, or {@code null} when there is none
	 */
	static TaskBaggage capture(BaggageManager baggage) {
		String group = live(baggage, IsolationTags.GROUP);
		String failFast = live(baggage, IsolationTags.FAIL_FAST);
		TaskBaggage outer = CURRENT.get();
		if (outer != null) {
			group = (group != null) ? group : outer.group;
			failFast = (failFast != null) ? failFast : outer.failFast;
		}
		return (group != null || failFast != null) ? new TaskBaggage(group, failFast) : null;
	}

	/**
	 * The submitter's {@value IsolationTags#GROUP} value.
	 * @return the raw value, or {@code null}
	 */
	public String group() {
		return this.group;
	}

	/**
	 * The submitter's {@value IsolationTags#FAIL_FAST} value.
	 * @return the raw value, or {@code null}
	 */
	public String failFast() {
		return this.failFast;
	}

	/**
	 * Runs a task with this baggage, then puts back what this thread had before: a task can
	 * run on the thread that submits it, inside another task.
	 * @param task the task
	 */
	void run(Runnable task) {
		TaskBaggage previous = CURRENT.get();
		CURRENT.set(this);
		try {
			task.run();
		}
		finally {
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
		}
	}

	private static String live(BaggageManager baggage, String field) {
		BaggageView view = baggage.getBaggage(field);
		return (view != null) ? view.get() : null;
	}

}
