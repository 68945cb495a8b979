package io.github.isolation.autoconfigure.task;

import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskDecorator;

/**
 * Carries the isolation tag into the work that Spring Boot's executors and schedulers run on
 * other threads, with no Java agent: {@code @Async} methods, the auto-configured
 * {@code applicationTaskExecutor} (a thread pool, or virtual threads with
 * {@code spring.threads.virtual.enabled=true}) and whatever is submitted to it, such as
 * {@code CompletableFuture.supplyAsync(task, applicationTaskExecutor)}, and tasks handed to the
 * auto-configured task scheduler. It contributes an {@link IsolationTaskDecorator}, which Spring
 * Boot's executor and scheduler builders apply. Work that no request started, such as a
 * {@code @Scheduled} job, has no tag to carry and takes the instance's own group.
 *
 * <p>Backs off when the application defines a {@link TaskDecorator} of its own (Spring Boot 3.5
 * applies a decorator only when there is exactly one, so two would silence both); that
 * decorator must then propagate the tag itself, by composing with an
 * {@link IsolationTaskDecorator}. Executors and threads the application creates itself
 * ({@code new ThreadPoolTaskExecutor()}, {@code Executors.newFixedThreadPool(...)},
 * {@code new Thread(...)}) are not decorated and see no tag. Active when Micrometer's context
 * propagation library is on the class path (Micrometer Tracing depends on it), unless
 * {@code isolation.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = { TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class })
@ConditionalOnClass(name = "io.micrometer.context.ContextSnapshotFactory")
@ConditionalOnBooleanProperty(name = "isolation.enabled", matchIfMissing = true)
public class IsolationTaskAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TaskDecorator.class)
	IsolationTaskDecorator isolationTaskDecorator(ObjectProvider<Tracer> tracer) {
		return new IsolationTaskDecorator(tracer.getIfAvailable(() -> Tracer.NOOP));
	}

}
