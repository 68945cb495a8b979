package io.github.isolation.benchmarks.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.isolation.benchmarks.harness.Driver.Result;
import org.apache.curator.test.TestingServer;

/**
 * The three-hop chain {@code a -> b -> c} on loopback ({@link HarnessChain}), twice in this JVM:
 * once with the starter off ({@code isolation.enabled=false}, the baseline) and once with it on
 * and bindings in a real ZooKeeper ({@link TestingServer}). Both are driven alike, every other
 * request tagged {@code feature-x}, and one Markdown table is printed: throughput, p50 and p99
 * latency, failed and misrouted calls (a reply whose route contradicts the rule; only judged
 * with isolation on, since without it any route is what Spring Cloud does).
 *
 * <p>Phases, baseline and isolation back to back so that drift on a busy machine hits both
 * (and, from round to round, in turns which goes first): warm-up; a fixed rate for
 * {@code duration} seconds; a closed loop of {@code callers} for {@code max} seconds (the
 * throughput the chain can reach); then, with isolation on, a fixed rate during which
 * ZooKeeper is stopped for {@code outage} seconds, with {@code margin} seconds before and
 * after. The table lists each round's baseline row first.
 *
 * <p>Options, as {@code name=value}: {@code rate=200 duration=20 max=10 callers=8 warmup=10
 * outage=30 margin=10 rounds=2 variants=fixed,max,outage}.
 */
public final class LoadHarness {

	private LoadHarness() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int eq = arg.indexOf('=');
			if (eq < 0) {
				throw new IllegalArgumentException("Arguments are name=value, but was " + arg);
			}
			options.put(arg.substring(0, eq), arg.substring(eq + 1));
		}
		int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
		Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "20")));
		Duration max = Duration.ofSeconds(Long.parseLong(options.getOrDefault("max", "10")));
		int callers = Integer.parseInt(options.getOrDefault("callers", "8"));
		Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
		Duration outage = Duration.ofSeconds(Long.parseLong(options.getOrDefault("outage", "30")));
		Duration margin = Duration.ofSeconds(Long.parseLong(options.getOrDefault("margin", "10")));
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
		List<String> variants = List.of(options.getOrDefault("variants", "fixed,max,outage").split(","));

		List<Result> results = new ArrayList<>();
		try (TestingServer zookeeper = new TestingServer();
				HarnessChain baselineChain = new HarnessChain(false, null);
				HarnessChain isolationChain = new HarnessChain(true, zookeeper.getConnectString())) {
			Driver baseline = new Driver(baselineChain.entry());
			Driver isolation = new Driver(isolationChain.entry());
			awaitBinding(isolation);
			log("chains up; warming up");
			baseline.closedLoop("warm-up", callers, warmup, false);
			isolation.closedLoop("warm-up", callers, warmup, true);
			for (int round = 0; round < rounds; round++) {
				// Every other round the isolation chain goes first, so that neither side always
				// runs right after the warm-up or right before the other.
				boolean baselineFirst = round % 2 == 0;
				if (variants.contains("fixed")) {
					log("round " + (round + 1) + ": fixed rate");
					Result base = null;
					if (baselineFirst) {
						base = baseline.fixedRate("baseline (isolation off)", rate, duration, false);
					}
					Result iso = isolation.fixedRate("isolation on", rate, duration, true);
					if (!baselineFirst) {
						base = baseline.fixedRate("baseline (isolation off)", rate, duration, false);
					}
					results.add(base);
					results.add(iso);
				}
				if (variants.contains("max")) {
					log("round " + (round + 1) + ": closed loop");
					Result base = null;
					if (baselineFirst) {
						base = baseline.closedLoop("baseline (isolation off)", callers, max, false);
					}
					Result iso = isolation.closedLoop("isolation on", callers, max, true);
					if (!baselineFirst) {
						base = baseline.closedLoop("baseline (isolation off)", callers, max, false);
					}
					results.add(base);
					results.add(iso);
				}
			}
			if (variants.contains("outage")) {
				log("fixed rate with ZooKeeper stopped for " + outage.toSeconds() + " s");
				results.add(withOutage(zookeeper, isolation, rate, outage, margin));
			}
		}
		print(results);
		// Spring's and ZooKeeper's non-daemon threads may outlive their contexts.
		System.exit(0);
	}

	private static Result withOutage(TestingServer zookeeper, Driver isolation, int rate, Duration outage,
			Duration margin) throws Exception {
		// The fault is injected from its own thread so that stopping and restarting the server
		// never delays the requests being sent.
		Thread fault = new Thread(() -> {
			try {
				Thread.sleep(margin.toMillis());
				zookeeper.stop();
				log("ZooKeeper stopped");
				Thread.sleep(outage.toMillis());
				zookeeper.restart();
				log("ZooKeeper restarted");
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not stop or restart ZooKeeper", ex);
			}
		}, "zookeeper-outage");
		fault.start();
		Result result = isolation.fixedRate("isolation on, ZooKeeper down " + outage.toSeconds() + " s", rate,
				outage.plus(margin).plus(margin), true);
		fault.join();
		return result;
	}

	private static void awaitBinding(Driver isolation) throws InterruptedException {
		// c's feature-x instance binds itself once it is up; until the view has the binding,
		// tagged calls rightly fall back, which is not what the run is to measure.
		Instant deadline = Instant.now().plusSeconds(60);
		while (Instant.now().isBefore(deadline)) {
			Result probe = isolation.closedLoop("probe", 1, Duration.ofMillis(200), true);
			if (probe.ok() > 0 && probe.misrouted() == 0 && probe.failed() == 0) {
				return;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("c's feature-x instance was not routed to within 60 s");
	}

	private static void print(List<Result> results) {
		System.out.println();
		System.out.println("| variant | load | seconds | requests | throughput, req/s | p50, ms | p99, ms | failed | misrouted |");
		System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
		for (Result result : results) {
			boolean judged = result.variant().startsWith("isolation");
			System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %d | %.1f | %.2f | %.2f | %d | %s |%n", result.variant(),
					result.mode(), result.seconds(), result.requests(), result.throughput(), result.p50(), result.p99(),
					result.failed(), judged ? Integer.toString(result.misrouted()) : "n/a");
		}
		System.out.println();
		for (int i = 0; i + 1 < results.size(); i++) {
			Result base = results.get(i);
			Result iso = results.get(i + 1);
			if (base.variant().startsWith("baseline") && iso.variant().equals("isolation on")
					&& base.mode().equals(iso.mode())) {
				System.out.printf(Locale.ROOT, "%s: isolation/baseline throughput %.3f (loss %.1f%%), p50 %.2fx, p99 %.2fx%n",
						base.mode(), iso.throughput() / base.throughput(),
						100.0 * (1 - iso.throughput() / base.throughput()), iso.p50() / base.p50(), iso.p99() / base.p99());
			}
		}
		Map<String, double[]> totals = new TreeMap<>();
		for (Result result : results) {
			if (result.variant().startsWith("baseline") || result.variant().equals("isolation on")) {
				double[] total = totals.computeIfAbsent(result.mode() + (result.variant().startsWith("baseline") ? " 0" : " 1"),
						(key) -> new double[2]);
				total[0] += result.ok();
				total[1] += result.seconds();
			}
		}
		totals.forEach((key, total) -> {
			if (key.endsWith(" 1") && totals.containsKey(key.substring(0, key.length() - 2) + " 0")) {
				double[] base = totals.get(key.substring(0, key.length() - 2) + " 0");
				double ratio = (total[0] / total[1]) / (base[0] / base[1]);
				System.out.printf(Locale.ROOT, "%s, all rounds: isolation/baseline throughput %.3f (loss %.1f%%)%n",
						key.substring(0, key.length() - 2), ratio, 100.0 * (1 - ratio));
			}
		});
		for (Result result : results) {
			for (String example : result.examples()) {
				System.out.println("  " + result.variant() + ": " + example);
			}
		}
	}

	private static void log(String message) {
		System.out.println(Instant.now() + " " + message);
	}

}
