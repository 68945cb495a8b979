package io.github.isolation.autoconfigure.task;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.isolation.autoconfigure.BaggageIsolationContext;
import io.github.isolation.autoconfigure.BraveBaggage;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationTaskAutoConfiguration}.
 */
class IsolationTaskAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IsolationTaskAutoConfiguration.class,
				TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class));

	@Test
	void shouldDecorateTheApplicationTaskExecutor() {
		try (BraveBaggage brave = new BraveBaggage()) {
			this.runner.withBean(Tracer.class, brave::tracer).run((context) -> {
				assertThat(context).hasSingleBean(IsolationTaskDecorator.class);
				AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);

				Future<String> group = brave.inSpanWithBaggage(IsolationTags.GROUP, "feature-x",
						() -> executor.submit(() -> groupSeen(brave)));

				assertThat(group.get(10, TimeUnit.SECONDS)).isEqualTo("feature-x");
			});
		}
	}

	@Test
	void shouldDecorateExecutorsAndSchedulersBuiltWithSpringBootsBuilders() {
		try (BraveBaggage brave = new BraveBaggage()) {
			this.runner.withBean(Tracer.class, brave::tracer).run((context) -> {
				ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutorBuilder.class).build();
				ThreadPoolTaskScheduler scheduler = context.getBean(ThreadPoolTaskSchedulerBuilder.class).build();
				executor.initialize();
				scheduler.initialize();
				try {
					Future<String> fromExecutor = brave.inSpanWithBaggage(IsolationTags.GROUP, "feature-x",
							() -> executor.submit(() -> groupSeen(brave)));
					Future<String> fromScheduler = brave.inSpanWithBaggage(IsolationTags.GROUP, "feature-x",
							() -> scheduler.submit(() -> groupSeen(brave)));

					assertThat(fromExecutor.get(10, TimeUnit.SECONDS)).isEqualTo("feature-x");
					assertThat(fromScheduler.get(10, TimeUnit.SECONDS)).isEqualTo("feature-x");
				}
				finally {
					executor.shutdown();
					scheduler.shutdown();
				}
			});
		}
	}

	@Test
	void shouldBackOffWhenTheApplicationHasATaskDecorator() {
		TaskDecorator own = (runnable) -> runnable;
		this.runner.withBean(TaskDecorator.class, () -> own)
			.run((context) -> assertThat(context).doesNotHaveBean(IsolationTaskDecorator.class)
				.getBean(TaskDecorator.class)
				.isSameAs(own));
	}

	@Test
	void shouldDoNothingWhenIsolationIsDisabled() {
		this.runner.withPropertyValues("isolation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskDecorator.class));
	}

	@Test
	void shouldDoNothingWithoutMicrometerContextPropagation() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.context"))
			.run((context) -> assertThat(context).doesNotHaveBean(TaskDecorator.class));
	}

	/** The group that routing on this thread reads: the baggage, else what the task was handed. */
	private static String groupSeen(BraveBaggage brave) {
		return new BaggageIsolationContext(brave.tracer(), () -> IsolationGroup.STABLE).current().group().name();
	}

}
