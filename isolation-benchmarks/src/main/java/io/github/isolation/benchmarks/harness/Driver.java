package io.github.isolation.benchmarks.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.isolation.benchmarks.Stats;
import io.github.isolation.benchmarks.harness.Routes.Outcome;

/**
 * Sends requests to the entry of a chain, every other one tagged with {@link Routes#GROUP}:
 * at a fixed rate (open loop: each latency counts from when the request was due, so a stall
 * shows as the latency it causes), or as fast as a number of callers can (closed loop).
 */
final class Driver {

	private static final int MAX_IN_FLIGHT = 2_000;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final HttpRequest untagged;

	private final HttpRequest tagged;

	Driver(URI entry) {
		this.untagged = HttpRequest.newBuilder(entry).timeout(TIMEOUT).GET().build();
		this.tagged = HttpRequest.newBuilder(entry).timeout(TIMEOUT).header("isolation-group", Routes.GROUP).GET().build();
	}

	/** What one phase measured. */
	record Result(String variant, String mode, double seconds, int requests, int ok, int failed, int misrouted,
			double[] latenciesMillis, List<String> examples) {

		double throughput() {
			return this.ok / this.seconds;
		}

		double p50() {
			return Stats.percentile(this.latenciesMillis, 50);
		}

		double p99() {
			return Stats.percentile(this.latenciesMillis, 99);
		}

	}

	/**
	 * Sends at a fixed rate.
	 * @param variant the name to report
	 * @param rate requests per second
	 * @param duration how long to send
	 * @param checkRoute whether routes are judged
	 * @return the result
	 */
	Result fixedRate(String variant, int rate, Duration duration, boolean checkRoute) throws InterruptedException {
		Tally tally = new Tally(checkRoute);
		AtomicInteger inFlight = new AtomicInteger();
		long period = TimeUnit.SECONDS.toNanos(1) / rate;
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		int sent = 0;
		for (long i = 0;; i++) {
			long due = start + i * period;
			if (due >= end) {
				break;
			}
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			boolean isTagged = (i & 1) == 1;
			sent++;
			if (inFlight.get() >= MAX_IN_FLIGHT) {
				tally.add(isTagged, -1, "driver overloaded: " + MAX_IN_FLIGHT + " requests in flight", 0);
				continue;
			}
			inFlight.incrementAndGet();
			this.http.sendAsync(isTagged ? this.tagged : this.untagged, HttpResponse.BodyHandlers.ofString())
				.whenComplete((response, failure) -> {
					long latency = System.nanoTime() - due;
					if (response != null) {
						tally.add(isTagged, response.statusCode(), response.body(), latency);
					}
					else {
						tally.add(isTagged, -1, String.valueOf(failure), latency);
					}
					inFlight.decrementAndGet();
				});
		}
		long drainUntil = System.nanoTime() + TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(5);
		while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
			Thread.sleep(10);
		}
		return tally.result(variant, "fixed " + rate + "/s", duration.toNanos() / 1e9, sent);
	}

	/**
	 * Sends as fast as a number of callers can, each waiting for its reply before the next.
	 * @param variant the name to report
	 * @param callers how many callers
	 * @param duration how long
	 * @param checkRoute whether routes are judged
	 * @return the result
	 */
	Result closedLoop(String variant, int callers, Duration duration, boolean checkRoute) throws InterruptedException {
		Tally tally = new Tally(checkRoute);
		AtomicInteger sent = new AtomicInteger();
		long end = System.nanoTime() + duration.toNanos();
		List<Thread> threads = new ArrayList<>();
		for (int c = 0; c < callers; c++) {
			int caller = c;
			Thread thread = new Thread(() -> {
				for (long i = caller; System.nanoTime() < end; i++) {
					boolean isTagged = (i & 1) == 1;
					long start = System.nanoTime();
					sent.incrementAndGet();
					try {
						HttpResponse<String> response = this.http.send(isTagged ? this.tagged : this.untagged,
								HttpResponse.BodyHandlers.ofString());
						tally.add(isTagged, response.statusCode(), response.body(), System.nanoTime() - start);
					}
					catch (IOException ex) {
						tally.add(isTagged, -1, ex.toString(), System.nanoTime() - start);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}, "caller-" + c);
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		return tally.result(variant, "max, " + callers + " callers", duration.toNanos() / 1e9, sent.get());
	}

	/** Counts outcomes from many threads. */
	private static final class Tally {

		private final boolean checkRoute;

		private final AtomicInteger ok = new AtomicInteger();

		private final AtomicInteger failed = new AtomicInteger();

		private final AtomicInteger misrouted = new AtomicInteger();

		private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();

		private final AtomicLong examplesKept = new AtomicLong();

		Tally(boolean checkRoute) {
			this.checkRoute = checkRoute;
		}

		void add(boolean tagged, int status, String body, long latencyNanos) {
			Outcome outcome = Routes.judge(tagged, status, body, this.checkRoute);
			switch (outcome) {
				case OK -> this.ok.incrementAndGet();
				case FAILED -> this.failed.incrementAndGet();
				case MISROUTED -> this.misrouted.incrementAndGet();
			}
			if (status > 0) {
				this.latencies.add(latencyNanos);
			}
			if (outcome != Outcome.OK && this.examplesKept.incrementAndGet() <= 5) {
				this.examples.add(outcome + " (" + (tagged ? "tagged" : "untagged") + ", " + status + "): " + body);
			}
		}

		Result result(String variant, String mode, double seconds, int requests) {
			double[] millis = this.latencies.stream().mapToDouble((nanos) -> nanos / 1e6).toArray();
			return new Result(variant, mode, seconds, requests, this.ok.get(), this.failed.get(), this.misrouted.get(),
					millis, List.copyOf(this.examples));
		}

	}

}
