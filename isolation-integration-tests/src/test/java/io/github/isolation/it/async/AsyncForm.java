package io.github.isolation.it.async;

/** The ways the entry of an async chain can start the call to the next service on another thread. */
public enum AsyncForm {

	/** An {@code @Async} method, which Spring runs on the {@code applicationTaskExecutor}. */
	ASYNC_METHOD,

	/** {@code AsyncTaskExecutor.submitCompletable} on Spring Boot's {@code applicationTaskExecutor}. */
	TASK_EXECUTOR,

	/** {@code CompletableFuture.supplyAsync(task, applicationTaskExecutor)}. */
	COMPLETABLE_FUTURE,

	/** {@code CompletableFuture.supplyAsync} on a plain {@code Executors} executor: no context propagation. */
	PLAIN_EXECUTOR,

	/** A thread started with {@code new Thread}: no context propagation. */
	NEW_THREAD,

	/** An {@code @Async} method that calls only after the request that started it has ended. */
	AFTER_THE_REQUEST;

	/**
	 * The path segment of {@code GET /async/{form}}.
	 * @return the name in lower case with hyphens
	 */
	public String path() {
		return name().toLowerCase().replace('_', '-');
	}

}
