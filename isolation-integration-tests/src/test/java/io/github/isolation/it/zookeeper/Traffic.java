package io.github.isolation.it.zookeeper;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainClient;

/**
 * Calls an entry instance over and over on a thread of its own, tagged and untagged in turn,
 * and records every reply whose route is not the expected one: a failed or a misrouted call.
 */
final class Traffic implements AutoCloseable {

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicInteger calls = new AtomicInteger();

	private final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

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
		}, "traffic");
		this.thread.start();
	}

	/** @return how many calls were made so far */
	int calls() {
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
	}

}
