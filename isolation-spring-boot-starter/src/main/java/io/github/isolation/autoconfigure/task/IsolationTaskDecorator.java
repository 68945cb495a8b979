package io.github.isolation.autoconfigure.task;

import io.micrometer.tracing.BaggageManager;

import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * Runs each task with the isolation tag of the code that submitted it, read when the task is
 * submitted. The task runs in its submitter's Micrometer context, through Spring's
 * {@link ContextPropagatingTaskDecorator}: the current observation and so its span, whose trace
 * context holds the baggage, and whatever else is registered for context propagation. Where
 * that baggage no longer holds the tag, because the request that submitted the task has ended,
 * the task keeps the tag its submitter had (see {@link TaskBaggage}). A task submitted with no
 * tag takes the instance's own group when it runs.
 *
 * <p>An application with a decorator of its own composes the two, for example
 * {@code new CompositeTaskDecorator(List.of(own, new IsolationTaskDecorator(tracer)))}.
 *
 * @since 0.1.0
 */
public class IsolationTaskDecorator implements TaskDecorator {

	private final BaggageManager baggage;

	private final TaskDecorator contextPropagation = new ContextPropagatingTaskDecorator();

	/**
	 * Creates the decorator.
	 * @param baggage the tracing baggage, usually the application's {@code Tracer}
	 */
	public IsolationTaskDecorator(BaggageManager baggage) {
		this.baggage = baggage;
	}

	@Override
	public Runnable decorate(Runnable runnable) {
		// Read now, on the submitting thread: when the task runs, the request may have ended.
		TaskBaggage submitted = TaskBaggage.capture(this.baggage);
		Runnable task = (submitted != null) ? () -> submitted.run(runnable) : runnable;
		return this.contextPropagation.decorate(task);
	}

}
