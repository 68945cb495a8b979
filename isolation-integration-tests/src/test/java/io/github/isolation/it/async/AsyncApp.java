package io.github.isolation.it.async;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The entry of an async test chain: {@code GET /async/{form}} calls the next service
 * ({@code chain.next}) from another thread, started in the given {@link AsyncForm}, and answers
 * with that service's reply and, in the {@value #THREAD_HEADER} header, the name of the thread
 * that made the call. With {@code async.scheduled-calls=true} a {@code @Scheduled} job calls the
 * next service too.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
@EnableScheduling
@Import({ AsyncApp.NextHop.class, AsyncApp.AsyncWork.class, AsyncApp.AsyncController.class })
public class AsyncApp {

	/** The response header naming the thread that called the next service. */
	public static final String THREAD_HEADER = "async-thread";

	private static final String REQUEST_ENDED = AsyncApp.class.getName() + ".requestEnded";

	@Bean
	@LoadBalanced
	RestClient.Builder loadBalancedRestClientBuilder(ObservationRegistry registry) {
		return RestClient.builder().observationRegistry(registry);
	}

	@Bean
	@ConditionalOnBooleanProperty("async.scheduled-calls")
	ScheduledCalls scheduledCalls(NextHop next) {
		return new ScheduledCalls(next);
	}

	/**
	 * Outermost, so that when it lets go of a request every other filter, the isolation and
	 * observation filters included, has finished with it.
	 */
	@Bean
	OncePerRequestFilter requestEndFilter() {
		return new RequestEndFilter();
	}

	/** The call to the next service, answered with the thread that made it. */
	public static class NextHop {

		private final RestClient client;

		private final String next;

		NextHop(@Qualifier("loadBalancedRestClientBuilder") RestClient.Builder client,
				@Value("${chain.next}") String next) {
			this.client = client.build();
			this.next = next;
		}

		/** @return the reply of the next service, called from this thread */
		Called call() {
			String reply = this.client.get().uri("http://" + this.next + "/hop?via=restclient").retrieve().body(String.class);
			return new Called(describe(Thread.currentThread()), reply);
		}

		/** @return the thread's name, after {@code virtual } for a virtual thread */
		private static String describe(Thread thread) {
			return (isVirtual(thread) ? "virtual " : "") + thread.getName();
		}

		// Thread.isVirtual() is Java 21, and the tests compile for Java 17.
		private static boolean isVirtual(Thread thread) {
			try {
				return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
			}
			catch (ReflectiveOperationException ex) {
				return false;
			}
		}

	}

	/** A reply and the thread that called for it. */
	record Called(String thread, String reply) {

		@Override
		public String toString() {
			return this.thread + ": " + this.reply;
		}

	}

	/** {@code @Async} methods, which Spring runs on the application's task executor. */
	public static class AsyncWork {

		private final NextHop next;

		private final BlockingQueue<String> later = new LinkedBlockingQueue<>();

		AsyncWork(NextHop next) {
			this.next = next;
		}

		/** @return the reply of the next service, called from the task executor */
		@Async
		public CompletableFuture<Called> callNext() {
			return CompletableFuture.completedFuture(this.next.call());
		}

		/**
		 * Calls the next service from the task executor once the request that asked for the
		 * call has ended, and queues the reply for {@link #next()}.
		 * @param requestEnded released when that request has left every filter
		 * @throws InterruptedException if interrupted while waiting
		 */
		@Async
		public void callNextAfter(CountDownLatch requestEnded) throws InterruptedException {
			if (!requestEnded.await(20, TimeUnit.SECONDS)) {
				this.later.add("the request did not end");
				return;
			}
			this.later.add(this.next.call().toString());
		}

		/**
		 * Waits for the next reply of {@link #callNextAfter(CountDownLatch)}.
		 * @return {@code thread: reply}, or {@code null} if none came
		 * @throws InterruptedException if interrupted while waiting
		 */
		public String next() throws InterruptedException {
			return this.later.poll(20, TimeUnit.SECONDS);
		}

	}

	/** A job that calls the next service on the application's task scheduler. */
	public static class ScheduledCalls {

		private final NextHop next;

		private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

		ScheduledCalls(NextHop next) {
			this.next = next;
		}

		@Scheduled(fixedDelay = 200)
		void callNext() {
			this.replies.add(this.next.call().toString());
		}

		/**
		 * Waits for the next reply.
		 * @return {@code thread: reply}, or {@code null} if none came
		 * @throws InterruptedException if interrupted while waiting
		 */
		public String next() throws InterruptedException {
			return this.replies.poll(20, TimeUnit.SECONDS);
		}

	}

	@RestController
	public static class AsyncController {

		private final NextHop next;

		private final AsyncWork work;

		private final AsyncTaskExecutor executor;

		// Not a bean: an Executor bean would stop Spring Boot from making the applicationTaskExecutor.
		private final ExecutorService plainExecutor = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "plain-executor");
			thread.setDaemon(true);
			return thread;
		});

		AsyncController(NextHop next, AsyncWork work,
				@Qualifier("applicationTaskExecutor") AsyncTaskExecutor executor) {
			this.next = next;
			this.work = work;
			this.executor = executor;
		}

		@GetMapping("/async/{form}")
		ResponseEntity<String> call(@PathVariable String form, HttpServletRequest request) throws Exception {
			Supplier<Called> call = this.next::call;
			CompletableFuture<Called> called = switch (AsyncForm.valueOf(form.toUpperCase().replace('-', '_'))) {
				case ASYNC_METHOD -> this.work.callNext();
				case TASK_EXECUTOR -> this.executor.submitCompletable(this.next::call);
				case COMPLETABLE_FUTURE -> CompletableFuture.supplyAsync(call, this.executor);
				case PLAIN_EXECUTOR -> CompletableFuture.supplyAsync(call, this.plainExecutor);
				case NEW_THREAD -> {
					CompletableFuture<Called> future = new CompletableFuture<>();
					new Thread(() -> future.complete(call.get()), "new-thread").start();
					yield future;
				}
				case AFTER_THE_REQUEST -> {
					CountDownLatch requestEnded = new CountDownLatch(1);
					request.setAttribute(REQUEST_ENDED, requestEnded);
					this.work.callNextAfter(requestEnded);
					yield CompletableFuture.completedFuture(new Called(Thread.currentThread().getName(), "started"));
				}
			};
			Called reply = called.get(20, TimeUnit.SECONDS);
			return ResponseEntity.ok().header(THREAD_HEADER, reply.thread()).body(reply.reply());
		}

	}

	static class RequestEndFilter extends OncePerRequestFilter implements Ordered {

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			try {
				chain.doFilter(request, response);
			}
			finally {
				if (request.getAttribute(REQUEST_ENDED) instanceof CountDownLatch requestEnded) {
					requestEnded.countDown();
				}
			}
		}

	}

}
