package io.github.isolation.autoconfigure.task;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.github.isolation.autoconfigure.BaggageIsolationContext;
import io.github.isolation.autoconfigure.BraveBaggage;
import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.task.TaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationTaskDecorator} on real Brave baggage, each task run on another
 * thread after the scope that submitted it has closed, as work outliving its request does.
 */
class IsolationTaskDecoratorTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private final BraveBaggage brave = new BraveBaggage();

	private final AtomicReference<IsolationGroup> localGroup = new AtomicReference<>(IsolationGroup.STABLE);

	private final BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(),
			this.localGroup::get);

	private final IsolationTaskDecorator decorator = new IsolationTaskDecorator(this.brave.tracer());

	private final ExecutorService thread = Executors.newSingleThreadExecutor();

	private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

	@AfterEach
	void close() {
		this.thread.shutdownNow();
		this.otherThread.shutdownNow();
		this.brave.close();
	}

	@Test
	void shouldRunATaskWithTheTagItsSubmitterHadAfterTheSubmittingRequestHasEnded() throws Exception {
		// given
		Task task = this.brave.inSpanWithBaggage(IsolationTags.GROUP, "feature-x", () -> task(this.decorator));

		// when
		IsolationTag tag = task.runOn(this.thread);

		// then
		assertThat(tag).isEqualTo(new IsolationTag(FEATURE_X, FailFastServices.NONE));
	}

	@Test
	void shouldLoseTheTagWithoutTheDecorator() throws Exception {
		// given
		Task task = this.brave.inSpanWithBaggage(IsolationTags.GROUP, "feature-x", () -> task((runnable) -> runnable));

		// when
		IsolationTag tag = task.runOn(this.thread);

		// then
		assertThat(tag).isEqualTo(IsolationTag.UNTAGGED);
	}

	@Test
	void shouldCarryTheFailFastListToo() throws Exception {
		// given
		Task task = this.brave.inSpanWithBaggage(IsolationTags.FAIL_FAST, "inventory,billing",
				() -> task(this.decorator));

		// when
		IsolationTag tag = task.runOn(this.thread);

		// then
		assertThat(tag)
			.isEqualTo(new IsolationTag(IsolationGroup.STABLE, FailFastServices.of(List.of("inventory", "billing"))));
	}

	@Test
	void shouldLetATaskSubmittedUntaggedTakeTheGroupTheInstanceHasWhenItRuns() throws Exception {
		// given
		Task task = task(this.decorator);
		this.localGroup.set(FEATURE_X);

		// when
		IsolationTag tag = task.runOn(this.thread);

		// then
		assertThat(tag).isEqualTo(new IsolationTag(FEATURE_X, FailFastServices.NONE));
	}

	@Test
	void shouldPreferTheBaggageATaskPutsInPlaceItself() throws Exception {
		// given
		Task task = this.brave.inSpanWithBaggage(IsolationTags.GROUP, "feature-x", () -> task(this.decorator,
				() -> inSpanWithGroup("feature-y")));

		// when
		IsolationTag tag = task.runOn(this.thread);

		// then
		assertThat(tag.group()).isEqualTo(IsolationGroup.of("feature-y"));
	}

	@Test
	void shouldCarryTheTagIntoATaskSubmittedByATask() throws Exception {
		// given
		Task outer = this.brave.inSpanWithBaggage(IsolationTags.GROUP, "feature-x", () -> task(this.decorator,
				() -> task(this.decorator).runOn(this.otherThread)));

		// when
		IsolationTag tag = outer.runOn(this.thread);

		// then
		assertThat(tag.group()).isEqualTo(FEATURE_X);
	}

	@Test
	void shouldLeaveNothingBehindOnTheThreadThatRanATask() throws Exception {
		// given
		Task tagged = this.brave.inSpanWithBaggage(IsolationTags.GROUP, "feature-x", () -> task(this.decorator));
		Task plain = task((runnable) -> runnable);

		// when
		IsolationTag first = tagged.runOn(this.thread);
		IsolationTag second = plain.runOn(this.thread);

		// then
		assertThat(first.group()).isEqualTo(FEATURE_X);
		assertThat(second).isEqualTo(IsolationTag.UNTAGGED);
	}

	private Task task(TaskDecorator decorator) {
		return task(decorator, this.context::current);
	}

	private Task task(TaskDecorator decorator, Supplier<IsolationTag> work) {
		CompletableFuture<IsolationTag> result = new CompletableFuture<>();
		Runnable runnable = decorator.decorate(() -> {
			try {
				result.complete(work.get());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		return new Task(runnable, result);
	}

	private IsolationTag inSpanWithGroup(String group) {
		Span span = this.brave.tracer().nextSpan().start();
		try (Tracer.SpanInScope scope = this.brave.tracer().withSpan(span);
				BaggageInScope baggage = this.brave.tracer().createBaggageInScope(IsolationTags.GROUP, group)) {
			return this.context.current();
		}
		finally {
			span.end();
		}
	}

	/** A decorated task that reports the tag it saw. */
	private record Task(Runnable runnable, CompletableFuture<IsolationTag> result) {

		IsolationTag runOn(ExecutorService executor) {
			executor.execute(this.runnable);
			try {
				return this.result.get(10, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
