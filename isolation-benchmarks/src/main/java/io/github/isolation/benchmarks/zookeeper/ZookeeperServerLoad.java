package io.github.isolation.benchmarks.zookeeper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import io.github.isolation.benchmarks.Stats;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.BindingsListener;
import io.github.isolation.zookeeper.BindingsScope;
import io.github.isolation.zookeeper.BindingsSnapshot;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.zookeeper.InstanceAddress;
import org.apache.curator.framework.CuratorFramework;

/**
 * What the clients cost ZooKeeper, against a real server in a child process: many clients in
 * this JVM, each with its own Curator connection and {@link BindingsView}, over many bindings.
 * <ul>
 * <li>heap: what one view holds after its load (used heap after a full GC with and without it),
 * holding every binding and holding only {@code used} services;</li>
 * <li>start-up storm: all clients connect and load at once; the time until every one is
 * loaded, and the server's own figures ({@code mntr}) for that phase;</li>
 * <li>churn: {@code rate} rebinds a second for {@code churn} seconds, each of an instance of a
 * service that every client uses; the time from just before the write until each client's
 * view answers the new group (taken in the view's change listener), per client and for all
 * clients; the server's figures for that phase; and the CPU time of this whole process during
 * the churn divided by changes and clients (the writer's share included).</li>
 * </ul>
 * Usage: {@code ZookeeperServerLoad [clients=200] [bindings=100000] [services=1000] [used=10]
 * [view=used|all] [rate=10] [churn=60]}. The server counts latencies in milliseconds; its
 * figures are reset ({@code srst}) at the start of each phase.
 */
public final class ZookeeperServerLoad {

	private static final IsolationGroup CHURN_A = IsolationGroup.of("churn-a");

	private static final IsolationGroup CHURN_B = IsolationGroup.of("churn-b");

	private static final long REACH_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

	private ZookeeperServerLoad() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		int clients = Integer.parseInt(options.getOrDefault("clients", "200"));
		int bindings = Integer.parseInt(options.getOrDefault("bindings", "100000"));
		int services = Integer.parseInt(options.getOrDefault("services", "1000"));
		int used = Integer.parseInt(options.getOrDefault("used", "10"));
		boolean all = "all".equals(options.getOrDefault("view", "used"));
		int rate = Integer.parseInt(options.getOrDefault("rate", "10"));
		int churnSeconds = Integer.parseInt(options.getOrDefault("churn", "60"));
		List<String> usedServices = new ArrayList<>();
		for (int s = 0; s < used; s++) {
			usedServices.add(Bindings.serviceId(s));
		}
		BindingsScope scope = all ? BindingsScope.all()
				: BindingsScope.used(usedServices, false, Duration.ofSeconds(30));
		System.out.printf(Locale.ROOT, "%,d bindings over %,d services; %d clients, view=%s%s; %d changes/s for %d s%n",
				bindings, services, clients, all ? "all" : "used", all ? "" : " (" + used + " services)", rate,
				churnSeconds);
		try (ZookeeperProcess server = ZookeeperProcess.start()) {
			CuratorFramework writer = Bindings.connect(server.connectString());
			Bindings.write(writer, bindings, services);
			heap(server.connectString(), BindingsScope.all(), bindings, "all");
			heap(server.connectString(), BindingsScope.used(usedServices, false, Duration.ofSeconds(30)), bindings,
					"used (" + used + " services)");

			// Start-up storm.
			mntr(server.connectString(), "srst");
			long cpuBefore = processCpuNanos();
			long stormStart = System.nanoTime();
			List<LoadClient> loaded = storm(server.connectString(), scope, clients);
			awaitFollowing(server.connectString(), loaded.stream().map((client) -> client.view).toList());
			System.out.printf(Locale.ROOT, "storm: every client follows changes %.0f ms after the start%n",
					(System.nanoTime() - stormStart) / 1e6);
			long stormCpu = processCpuNanos() - cpuBefore;
			Map<String, String> stormFigures = figures(server.connectString());
			System.out.printf(Locale.ROOT, "storm: this process's CPU %.1f s%n", stormCpu / 1e9);
			print("storm", stormFigures);

			// Churn.
			mntr(server.connectString(), "srst");
			churn(writer, loaded, rate, churnSeconds, Math.min(used, services), bindings, services);
			print("churn", figures(server.connectString()));
			for (LoadClient client : loaded) {
				client.close();
			}
			writer.close();
		}
	}

	private static void heap(String connectString, BindingsScope scope, int bindings, String label) throws Exception {
		CuratorFramework client = Bindings.connect(connectString);
		long before = usedHeapAfterGc();
		BindingsView view = new BindingsView(client, BindingPaths.defaults(), scope);
		view.start();
		if (!view.awaitInitialized(Bindings.LOAD_TIMEOUT)) {
			throw new IllegalStateException("The view did not load in time");
		}
		if (scope.everything()) {
			// The bulk read is served first; wait for the cache's own load behind it, which
			// is what the view holds from then on.
			awaitFollowing(connectString, List.of(view));
		}
		long after = usedHeapAfterGc();
		System.out.printf(Locale.ROOT, "heap of one view, %s, %,d bindings in ZooKeeper: %,d bindings held, %.3f MB%n",
				label, bindings, view.snapshot().instanceBindingCount(), (after - before) / (1024.0 * 1024.0));
		if (!scope.everything()) {
			// The wait of a first call to a service this view does not hold yet.
			double[] prepare = new double[10];
			for (int i = 0; i < prepare.length; i++) {
				long start = System.nanoTime();
				view.prepare(Bindings.serviceId(scope.services().size() + i));
				prepare[i] = (System.nanoTime() - start) / 1e6;
			}
			System.out.printf(Locale.ROOT,
					"first call to a service not held yet (prepare, %d services of %,d bindings each): median %.1f ms,"
							+ " max %.1f ms; now holding %,d bindings%n",
					prepare.length, view.snapshot().instanceBindingCount() / (scope.services().size() + prepare.length),
					Stats.median(prepare), Stats.max(prepare), view.snapshot().instanceBindingCount());
		}
		view.close();
		client.close();
	}

	/**
	 * Waits until a change made now is in every view: a view that serves its bulk read follows
	 * changes only once its cache has loaded the whole tree as well.
	 */
	private static void awaitFollowing(String connectString, List<BindingsView> views) throws Exception {
		CuratorFramework writer = Bindings.connect(connectString);
		try {
			BindingStore store = new BindingStore(writer);
			// An instance of the first service, which every view holds.
			InstanceAddress marker = new InstanceAddress("10.255.255.254", 1);
			String service = Bindings.serviceId(0);
			CountDownLatch following = new CountDownLatch(views.size());
			List<BindingsListener> listeners = new ArrayList<>();
			for (BindingsView view : views) {
				BindingsListener listener = new BindingsListener() {

					private boolean counted;

					@Override
					public synchronized void bindingsChanged(BindingsSnapshot snapshot) {
						if (!this.counted && snapshot.instanceBinding(service, marker.host(), marker.port()).isPresent()) {
							this.counted = true;
							following.countDown();
						}
					}

				};
				listeners.add(listener);
				view.addListener(listener);
			}
			store.bind(service, marker, CHURN_A);
			if (!following.await(10, TimeUnit.MINUTES)) {
				throw new IllegalStateException("The views did not follow changes within 10 minutes");
			}
			for (int v = 0; v < views.size(); v++) {
				views.get(v).removeListener(listeners.get(v));
			}
			store.unbind(service, marker);
		}
		finally {
			writer.close();
		}
	}

	private static List<LoadClient> storm(String connectString, BindingsScope scope, int clients) throws Exception {
		ExecutorService starters = Executors.newFixedThreadPool(clients);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<LoadClient>> futures = new ArrayList<>();
		double[] each = new double[clients];
		for (int c = 0; c < clients; c++) {
			int index = c;
			futures.add(starters.submit(() -> {
				go.await();
				long start = System.nanoTime();
				LoadClient client = new LoadClient(index, connectString, scope);
				each[index] = (System.nanoTime() - start) / 1e6;
				return client;
			}));
		}
		long start = System.nanoTime();
		go.countDown();
		List<LoadClient> loaded = new ArrayList<>();
		for (Future<LoadClient> future : futures) {
			loaded.add(future.get(10, TimeUnit.MINUTES));
		}
		double total = (System.nanoTime() - start) / 1e6;
		starters.shutdown();
		System.out.printf(Locale.ROOT,
				"storm: %d clients connected and loaded in %.0f ms (each: p50 %.0f ms, p99 %.0f ms, max %.0f ms)%n",
				clients, total, Stats.percentile(each, 50), Stats.percentile(each, 99), Stats.max(each));
		return loaded;
	}

	private static void churn(CuratorFramework writer, List<LoadClient> clients, int rate, int seconds,
			int usedServices, int bindings, int services) throws Exception {
		BindingStore store = new BindingStore(writer);
		// Targets: ten existing instances of each used service, each changed again only after
		// all the others, so that one change is always over before its binding changes again.
		List<Integer> targets = new ArrayList<>();
		for (int k = 0; k < 10; k++) {
			for (int s = 0; s < usedServices; s++) {
				int i = s + k * services;
				if (i < bindings) {
					targets.add(i);
				}
			}
		}
		Map<Integer, IsolationGroup> current = new HashMap<>();
		int changes = rate * seconds;
		List<Change> made = new ArrayList<>();
		long period = TimeUnit.SECONDS.toNanos(1) / rate;
		long cpuBefore = processCpuNanos();
		long begin = System.nanoTime();
		for (int n = 0; n < changes; n++) {
			long due = begin + n * period;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			int i = targets.get(n % targets.size());
			IsolationGroup group = (current.get(i) == CHURN_A) ? CHURN_B : CHURN_A;
			current.put(i, group);
			Change change = new Change(Bindings.serviceId(i % services), Bindings.address(i), group, clients.size());
			made.add(change);
			for (LoadClient client : clients) {
				client.pending.add(change);
			}
			change.written = System.nanoTime();
			store.bind(change.service, change.address, group);
		}
		long lastWrite = System.nanoTime();
		// Every change reached every client, or timed out.
		for (Change change : made) {
			long left = change.written + REACH_TIMEOUT_NANOS - System.nanoTime();
			change.done.await(Math.max(0, left), TimeUnit.NANOSECONDS);
		}
		long cpu = processCpuNanos() - cpuBefore;
		double[] each = new double[made.size() * clients.size()];
		double[] all = new double[made.size()];
		int missed = 0;
		for (int m = 0; m < made.size(); m++) {
			Change change = made.get(m);
			double slowest = 0;
			for (int c = 0; c < clients.size(); c++) {
				long at = change.reached.get(c);
				double latency = (at == 0) ? REACH_TIMEOUT_NANOS / 1e6 : (at - change.written) / 1e6;
				if (at == 0) {
					missed++;
				}
				each[m * clients.size() + c] = latency;
				slowest = Math.max(slowest, latency);
			}
			all[m] = slowest;
		}
		System.out.printf(Locale.ROOT, "churn: %d changes in %.1f s (%.1f/s)%n", made.size(), (lastWrite - begin) / 1e9,
				made.size() / ((lastWrite - begin) / 1e9));
		System.out.printf(Locale.ROOT,
				"churn: change to each client p50 %.1f ms, p99 %.1f ms, max %.1f ms; to all %d clients p50 %.1f ms,"
						+ " p99 %.1f ms, max %.1f ms; missed (>10 s) %d of %d%n",
				Stats.percentile(each, 50), Stats.percentile(each, 99), Stats.max(each), clients.size(),
				Stats.percentile(all, 50), Stats.percentile(all, 99), Stats.max(all), missed, each.length);
		System.out.printf(Locale.ROOT, "churn: this process's CPU %.2f s, %.1f us per change per client%n", cpu / 1e9,
				cpu / 1e3 / ((double) made.size() * clients.size()));
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static final String[] FIGURES = { "zk_avg_latency", "zk_max_latency", "zk_min_latency",
			"zk_packets_received", "zk_packets_sent", "zk_num_alive_connections", "zk_watch_count",
			"zk_outstanding_requests", "zk_znode_count", "zk_approximate_data_size" };

	private static Map<String, String> figures(String connectString) throws Exception {
		Map<String, String> all = new HashMap<>();
		for (String line : mntr(connectString, "mntr").split("\n")) {
			String[] parts = line.split("\t");
			if (parts.length == 2) {
				all.put(parts[0].trim(), parts[1].trim());
			}
		}
		Map<String, String> figures = new LinkedHashMap<>();
		for (String name : FIGURES) {
			figures.put(name, all.getOrDefault(name, "?"));
		}
		return figures;
	}

	private static void print(String phase, Map<String, String> figures) {
		StringBuilder line = new StringBuilder(phase).append(": mntr");
		figures.forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
		System.out.println(line);
	}

	/** Sends a four-letter command to the server and returns its answer. */
	private static String mntr(String connectString, String command) throws Exception {
		String hostPort = connectString.split(",")[0];
		int colon = hostPort.lastIndexOf(':');
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
					Integer.parseInt(hostPort.substring(colon + 1))), 5000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(command.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			StringBuilder answer = new StringBuilder();
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = in.readLine()) != null) {
				answer.append(line).append('\n');
			}
			return answer.toString();
		}
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			Thread.sleep(50);
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int eq = arg.indexOf('=');
			if (eq < 0) {
				throw new IllegalArgumentException("Arguments are name=value, but was " + arg);
			}
			options.put(arg.substring(0, eq), arg.substring(eq + 1));
		}
		return options;
	}

	/** One rebind, and when it reached each client. */
	private static final class Change {

		final String service;

		final InstanceAddress address;

		final IsolationGroup group;

		final AtomicLongArray reached;

		final CountDownLatch done;

		volatile long written;

		Change(String service, InstanceAddress address, IsolationGroup group, int clients) {
			this.service = service;
			this.address = address;
			this.group = group;
			this.reached = new AtomicLongArray(clients);
			this.done = new CountDownLatch(clients);
		}

	}

	/** A client with its own connection and view, which notes when each change reaches it. */
	private static final class LoadClient implements AutoCloseable {

		final int index;

		final CuratorFramework curator;

		final BindingsView view;

		final ConcurrentLinkedQueue<Change> pending = new ConcurrentLinkedQueue<>();

		LoadClient(int index, String connectString, BindingsScope scope) throws Exception {
			this.index = index;
			this.curator = Bindings.connect(connectString);
			this.view = new BindingsView(this.curator, BindingPaths.defaults(), scope);
			this.view.addListener(new BindingsListener() {

				@Override
				public void bindingsChanged(BindingsSnapshot snapshot) {
					check();
				}

			});
			this.view.start();
			if (!this.view.awaitInitialized(Duration.ofMinutes(10))) {
				throw new IllegalStateException("Client " + index + " did not load in time");
			}
		}

		private void check() {
			long now = System.nanoTime();
			for (Change change : this.pending) {
				if (change.written != 0 && this.view.instanceGroup(change.service, change.address.host(),
						change.address.port()).filter(change.group::equals).isPresent()) {
					if (change.reached.compareAndSet(this.index, 0, now)) {
						change.done.countDown();
					}
					this.pending.remove(change);
				}
			}
		}

		@Override
		public void close() {
			this.view.close();
			this.curator.close();
		}

	}

}
