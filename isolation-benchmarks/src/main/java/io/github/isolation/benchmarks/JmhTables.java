package io.github.isolation.benchmarks;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints the results of a JMH run ({@code -rf json}) as the Markdown tables of
 * docs/performance.md, with the ratios against the baselines of the same run.
 *
 * <p>Each time is shown as {@code best / median (mean ± error)}: the fastest measurement
 * iteration, the median iteration, and JMH's mean with its 99.9% error. Ratios use the best
 * iteration: on a shared machine other work only ever adds time (an iteration that ran while
 * the CPUs were taken is slowed many times over), so the fastest iteration is the closest to
 * the cost itself, and the mean is shown so nothing is hidden. Allocation is the GC
 * profiler's {@code gc.alloc.rate.norm}, which noise does not move.
 *
 * <p>Usage: {@code JmhTables result.json...}.
 */
public final class JmhTables {

	private JmhTables() {
	}

	public static void main(String[] args) {
		List<Row> rows = new ArrayList<>();
		JsonMapper mapper = JsonMapper.builder().build();
		for (String file : args) {
			for (JsonNode result : mapper.readTree(new File(file))) {
				rows.add(Row.of(result));
			}
		}
		comparison(rows, "SupplierBenchmark.decide", "The decision alone: supplier.get(request).blockFirst()");
		beforeAfter(rows);
		comparison(rows, "LoadBalancerBenchmark.choose", "The whole choice: RoundRobinLoadBalancer.choose(request).block()");
		rule(rows);
		single(rows, "BindingsViewLoadBenchmark.load", "bindings", "Loading the ZooKeeper view (start to first load)");
	}

	private static void comparison(List<Row> rows, String benchmark, String title) {
		Map<String, Map<String, Row>> bySetting = new LinkedHashMap<>();
		for (Row row : rows) {
			if (row.benchmark().endsWith(benchmark)) {
				String setting = row.param("instances") + "|" + row.param("groups") + "|" + row.param("request") + "|"
						+ row.param("lists");
				bySetting.computeIfAbsent(setting, (key) -> new LinkedHashMap<>()).put(row.param("supplier"), row);
			}
		}
		if (bySetting.isEmpty()) {
			return;
		}
		System.out.println("### " + title);
		System.out.println();
		System.out.println("| instances | groups | request | lists | isolation ns/op | passthrough ns/op | hint ns/op "
				+ "| isolation B/op | passthrough B/op | hint B/op | isolation / passthrough | isolation / hint "
				+ "| B/op above passthrough |");
		System.out.println("|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (Map.Entry<String, Map<String, Row>> entry : sorted(bySetting).entrySet()) {
			String[] setting = entry.getKey().split("\\|");
			Row isolation = entry.getValue().get("ISOLATION");
			Row passthrough = entry.getValue().get("PASSTHROUGH");
			Row hint = entry.getValue().get("HINT");
			System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
					setting[0], setting[1], setting[2], setting[3], time(isolation), time(passthrough), time(hint),
					bytes(isolation), bytes(passthrough), bytes(hint), ratio(isolation, passthrough, Row::best),
					ratio(isolation, hint, Row::best), difference(isolation, passthrough));
		}
		System.out.println();
	}

	private static void beforeAfter(List<Row> rows) {
		Map<String, Map<String, Row>> bySetting = new LinkedHashMap<>();
		for (Row row : rows) {
			if (row.benchmark().endsWith("SupplierBenchmark.decide")) {
				String setting = row.param("instances") + "|" + row.param("groups") + "|" + row.param("request") + "|"
						+ row.param("lists");
				bySetting.computeIfAbsent(setting, (key) -> new LinkedHashMap<>()).put(row.param("supplier"), row);
			}
		}
		bySetting.values().removeIf((suppliers) -> !suppliers.containsKey("SCAN") || !suppliers.containsKey("ISOLATION"));
		if (bySetting.isEmpty()) {
			return;
		}
		System.out.println("### Before and after the index: this library's supplier, scanning per call vs indexed");
		System.out.println();
		System.out.println("| instances | groups | request | lists | scan per call ns/op | indexed ns/op | scan B/op "
				+ "| indexed B/op | indexed / scan |");
		System.out.println("|---:|---:|---|---|---:|---:|---:|---:|---:|");
		for (Map.Entry<String, Map<String, Row>> entry : sorted(bySetting).entrySet()) {
			String[] setting = entry.getKey().split("\\|");
			Row scan = entry.getValue().get("SCAN");
			Row indexed = entry.getValue().get("ISOLATION");
			System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", setting[0], setting[1],
					setting[2], setting[3], time(scan), time(indexed), bytes(scan), bytes(indexed),
					ratio(indexed, scan, Row::best));
		}
		System.out.println();
	}

	private static void rule(List<Row> rows) {
		Map<String, Map<String, Row>> bySize = new TreeMap<>();
		for (Row row : rows) {
			if (row.benchmark().contains("RuleBenchmark.")) {
				String method = row.benchmark().substring(row.benchmark().lastIndexOf('.') + 1);
				bySize.computeIfAbsent(String.format("%08d", Integer.parseInt(row.param("instances"))),
						(key) -> new LinkedHashMap<>()).put(method, row);
			}
		}
		if (bySize.isEmpty()) {
			return;
		}
		System.out.println("### The rule in core, without Reactor (10 groups, request in g1)");
		System.out.println();
		System.out.println("| instances | scan per call (before) ns/op | indexed, same list ns/op | indexed, new list "
				+ "of the same instances ns/op | scan B/op | same list B/op | new list B/op | new list / scan |");
		System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
		bySize.forEach((size, methods) -> {
			Row scan = methods.get("scan");
			Row same = methods.get("indexedSameList");
			Row fresh = methods.get("indexedNewList");
			System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s |%n", Integer.parseInt(size),
					time(scan), time(same), time(fresh), bytes(scan), bytes(same), bytes(fresh),
					ratio(fresh, scan, Row::best));
		});
		System.out.println();
	}

	private static void single(List<Row> rows, String benchmark, String param, String title) {
		List<Row> matching = rows.stream().filter((row) -> row.benchmark().endsWith(benchmark)).toList();
		if (matching.isEmpty()) {
			return;
		}
		System.out.println("### " + title);
		System.out.println();
		System.out.println("| " + param + " | best | median | mean ± error (99.9%) | unit |");
		System.out.println("|---:|---:|---:|---:|---|");
		for (Row row : matching) {
			System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f ± %.1f | %s |%n", row.param(param), row.best(),
					row.median(), row.score(), row.error(), row.unit());
		}
		System.out.println();
	}

	private static Map<String, Map<String, Row>> sorted(Map<String, Map<String, Row>> bySetting) {
		Map<String, Map<String, Row>> sorted = new TreeMap<>((a, b) -> {
			String[] x = a.split("\\|");
			String[] y = b.split("\\|");
			for (int i = 0; i < 2; i++) {
				int compared = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
				if (compared != 0) {
					return compared;
				}
			}
			return a.compareTo(b);
		});
		sorted.putAll(bySetting);
		return sorted;
	}

	private static String time(Row row) {
		if (row == null) {
			return "-";
		}
		return String.format(Locale.ROOT, "%s / %s (%s ± %s)", number(row.best()), number(row.median()),
				number(row.score()), number(row.error()));
	}

	private static String bytes(Row row) {
		return (row == null || Double.isNaN(row.bytesPerOp())) ? "-"
				: String.format(Locale.ROOT, "%.0f", row.bytesPerOp());
	}

	private static String ratio(Row a, Row b, Function<Row, Double> metric) {
		return (a == null || b == null) ? "-" : String.format(Locale.ROOT, "%.3f", metric.apply(a) / metric.apply(b));
	}

	private static String difference(Row a, Row b) {
		return (a == null || b == null) ? "-" : String.format(Locale.ROOT, "%+.0f", a.bytesPerOp() - b.bytesPerOp());
	}

	private static String number(double value) {
		if (Double.isNaN(value)) {
			return "-";
		}
		return (value >= 100) ? String.format(Locale.ROOT, "%,.0f", value)
				: String.format(Locale.ROOT, "%.1f", value);
	}

	/** One benchmark at one setting of its parameters. */
	record Row(String benchmark, Map<String, String> params, double score, double error, String unit, double best,
			double median, double bytesPerOp) {

		static Row of(JsonNode result) {
			Map<String, String> params = new LinkedHashMap<>();
			JsonNode paramsNode = result.get("params");
			if (paramsNode != null) {
				paramsNode.properties().forEach((entry) -> params.put(entry.getKey(), entry.getValue().asString()));
			}
			JsonNode primary = result.get("primaryMetric");
			List<Double> raw = new ArrayList<>();
			for (JsonNode fork : primary.get("rawData")) {
				for (JsonNode iteration : fork) {
					raw.add(iteration.asDouble());
				}
			}
			double[] samples = raw.stream().mapToDouble(Double::doubleValue).toArray();
			JsonNode secondary = result.get("secondaryMetrics");
			JsonNode norm = (secondary != null) ? secondary.get("gc.alloc.rate.norm") : null;
			return new Row(result.get("benchmark").asString(), params, primary.get("score").asDouble(),
					primary.get("scoreError").asDouble(Double.NaN), primary.get("scoreUnit").asString(),
					Stats.min(samples), Stats.median(samples), (norm != null) ? norm.get("score").asDouble() : Double.NaN);
		}

		String param(String name) {
			return this.params.getOrDefault(name, "-");
		}

	}

}
