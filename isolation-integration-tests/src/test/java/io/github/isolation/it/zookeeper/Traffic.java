package io.github.isolation.it.zookeeper;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainClient;

/**
 * Calls an entry instance over and over on a thread of its own, tagged and untagged in turn,
 * and records every reply whose route is not the expected one: a failed or a misrouted call.
 * Should the thread itself throw, {@link #calls()} and {@link #close()} throw that exception,
 * so the test fails with it rather than waiting for calls that never come.
 */
final class Traffic implements AutoCloseable {

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicInteger calls = new AtomicInteger();

	private final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

	private final AtomicReference<Throwable> thrown = new AtomicReference<>();

	private final Thread thread;

	/**
	 * Starts calling.
	 * @param chain the chain
	 * @param entry the instance to call
	 * @param expectedRoutes for each tag (an empty string for untagged), the one route it must take
	 */
	Traffic(Chain chain, Instance entry, Map<String, String> expectedRoutes) {
		List<Map.Entry<String, String>> cases = List.copyOf(expectedRoutes.entrySet());
		this.thread = new Thread(() -> {
			try {
				while (this.running.get()) {
					for (Map.Entry<String, String> expected : cases) {
						Reply reply = expected.getKey().isEmpty() ? chain.call(entry, ChainClient.RESTTEMPLATE)
								: chain.call(entry, ChainClient.RESTTEMPLATE, "isolation-group", expected.getKey());
						this.calls.incrementAndGet();
						if (reply.status() != 200 || !reply.body().equals(expected.getValue())) {
							this.wrong.add("tag '" + expected.getKey() + "': " + reply);
						}
					}
				}
			}
			catch (Throwable ex) {
				this.thrown.set(ex);
			}
		}, "traffic");
		this.thread.start();
	}

	/** @return how many calls were made so far */
	int calls() {
		rethrow();
		return this.calls.get();
	}

	/** @return the calls that failed or took another route than expected */
	List<String> wrongCalls() {
		return List.copyOf(this.wrong);
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		this.thread.join(30_000);
		rethrow();
		if (this.thread.isAlive()) {
			throw new AssertionError("The traffic thread did not stop within 30 s");
		}
	}

	// Once only: a second close() must not throw the same exception again.
	private void rethrow() {
		Throwable ex = this.thrown.getAndSet(null);
		if (ex instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (ex instanceof Error error) {
			throw error;
		}
		if (ex != null) {
			throw new IllegalStateException("The traffic thread failed", ex);
		}
	}

}
