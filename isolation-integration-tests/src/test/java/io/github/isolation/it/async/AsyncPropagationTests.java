package io.github.isolation.it.async;

import java.net.http.HttpResponse;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.testsupport.Bridge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tag crossing threads, with no Java agent, then a fallback hop, over real HTTP: the entry
 * {@code a} ({@link AsyncApp}, stable) calls {@code b} from another thread; {@code b} has only a
 * stable instance and {@code c} a stable and a {@code feature-x} one. A request tagged
 * {@code feature-x} that ends at {@code c@feature-x} carried its tag through the thread switch,
 * since nothing else on {@code a} knows of {@code feature-x}. Subclasses pick the tracing bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AsyncPropagationTests {

	private static final String TAGGED = "b@stable > c@feature-x";

	private static final String UNTAGGED = "b@stable > c@stable";

	// Virtual threads need Java 21; below it Spring Boot ignores spring.threads.virtual.enabled.
	private static final boolean VIRTUAL_THREADS = Runtime.version().feature() >= 21;

	private final Chain chain;

	private Instance a;

	private Instance virtualA;

	private Instance scheduling;

	private Instance virtualScheduling;

	AsyncPropagationTests(Bridge bridge, boolean sampled) {
		this.chain = new Chain(bridge, sampled);
	}

	@BeforeAll
	void startChain() {
		this.chain.start("c", null, null);
		this.chain.start("c", "feature-x", null);
		this.chain.start("b", "stable", "c");
		// One pooled thread, so that consecutive tasks share it.
		this.a = this.chain.start(AsyncApp.class, "a", "stable", "b", "spring.task.execution.pool.core-size=1");
		this.scheduling = this.chain.start(AsyncApp.class, "a", "feature-x", "b", "async.scheduled-calls=true");
		if (VIRTUAL_THREADS) {
			this.virtualA = this.chain.start(AsyncApp.class, "a", "stable", "b", "spring.threads.virtual.enabled=true");
			this.virtualScheduling = this.chain.start(AsyncApp.class, "a", "feature-x", "b",
					"async.scheduled-calls=true", "spring.threads.virtual.enabled=true");
		}
	}

	@AfterAll
	void stopChain() {
		this.chain.close();
	}

	@ParameterizedTest
	@EnumSource(Tagging.class)
	void shouldKeepTheTagInAnAsyncMethod(Tagging tagging) {
		HttpResponse<String> response = call(this.a, AsyncForm.ASYNC_METHOD, tagging);

		assertThat(response.body()).isEqualTo(TAGGED);
		assertThat(threadOf(response)).startsWith("task-");
	}

	@ParameterizedTest
	@EnumSource(Tagging.class)
	void shouldKeepTheTagInATaskSubmittedToTheApplicationTaskExecutor(Tagging tagging) {
		HttpResponse<String> response = call(this.a, AsyncForm.TASK_EXECUTOR, tagging);

		assertThat(response.body()).isEqualTo(TAGGED);
		assertThat(threadOf(response)).startsWith("task-");
	}

	@ParameterizedTest
	@EnumSource(Tagging.class)
	void shouldKeepTheTagInACompletableFutureOnTheApplicationTaskExecutor(Tagging tagging) {
		HttpResponse<String> response = call(this.a, AsyncForm.COMPLETABLE_FUTURE, tagging);

		assertThat(response.body()).isEqualTo(TAGGED);
		assertThat(threadOf(response)).startsWith("task-");
	}

	@ParameterizedTest
	@EnumSource(Tagging.class)
	void shouldKeepTheTagInAsyncWorkThatRunsAfterTheRequestHasEnded(Tagging tagging) throws InterruptedException {
		HttpResponse<String> response = call(this.a, AsyncForm.AFTER_THE_REQUEST, tagging);
		assertThat(response.body()).isEqualTo("started");

		String reply = this.a.context().getBean(AsyncApp.AsyncWork.class).next();

		assertThat(reply).startsWith("task-").endsWith(": " + TAGGED);
	}

	@Test
	void shouldLeaveNoTagBehindOnAPooledThread() {
		for (int i = 0; i < 200; i++) {
			HttpResponse<String> tagged = call(this.a, AsyncForm.ASYNC_METHOD, Tagging.SINGLE_HEADER);
			HttpResponse<String> untagged = ok(this.chain.get(this.a, "/async/" + AsyncForm.ASYNC_METHOD.path()));

			assertThat(tagged.body()).isEqualTo(TAGGED);
			assertThat(untagged.body()).as("untagged call %d", i).isEqualTo(UNTAGGED);
			assertThat(threadOf(untagged)).isEqualTo(threadOf(tagged));
		}
	}

	@ParameterizedTest
	@EnumSource(names = { "ASYNC_METHOD", "TASK_EXECUTOR", "COMPLETABLE_FUTURE" })
	void shouldKeepTheTagOnVirtualThreads(AsyncForm form) {
		assumeTrue(VIRTUAL_THREADS, "virtual threads need Java 21");

		HttpResponse<String> response = call(this.virtualA, form, Tagging.SINGLE_HEADER);

		assertThat(response.body()).isEqualTo(TAGGED);
		assertThat(threadOf(response)).startsWith("virtual task-");
	}

	/** Shows that the tests above can fail: where no context propagation reaches, the tag is lost. */
	@ParameterizedTest
	@EnumSource(names = { "PLAIN_EXECUTOR", "NEW_THREAD" })
	void shouldLoseTheTagOnAThreadThatContextPropagationDoesNotReach(AsyncForm form) {
		HttpResponse<String> response = call(this.a, form, Tagging.SINGLE_HEADER);

		assertThat(response.body()).isEqualTo(UNTAGGED);
		assertThat(threadOf(response)).isEqualTo(form.path());
	}

	@Test
	void shouldColourScheduledWorkWithTheGroupOfTheInstance() throws InterruptedException {
		String reply = this.scheduling.context().getBean(AsyncApp.ScheduledCalls.class).next();

		assertThat(reply).isEqualTo("scheduling-1: " + TAGGED);
	}

	@Test
	void shouldColourScheduledWorkOnVirtualThreadsWithTheGroupOfTheInstance() throws InterruptedException {
		assumeTrue(VIRTUAL_THREADS, "virtual threads need Java 21");

		String reply = this.virtualScheduling.context().getBean(AsyncApp.ScheduledCalls.class).next();

		assertThat(reply).startsWith("virtual scheduling-").endsWith(": " + TAGGED);
	}

	private HttpResponse<String> call(Instance entry, AsyncForm form, Tagging tagging) {
		return ok(this.chain.get(entry, "/async/" + form.path(), tagging.header, tagging.value));
	}

	private static HttpResponse<String> ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isEqualTo(200);
		return response;
	}

	private static String threadOf(HttpResponse<String> response) {
		return response.headers().firstValue(AsyncApp.THREAD_HEADER).orElse("none");
	}

	/** The wire forms of the tag {@code feature-x}. */
	enum Tagging {

		SINGLE_HEADER("isolation-group", "feature-x"),

		W3C_BAGGAGE("baggage", "isolation-group=feature-x");

		private final String header;

		private final String value;

		Tagging(String header, String value) {
			this.header = header;
			this.value = value;
		}

	}

}
