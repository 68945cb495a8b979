package io.github.isolation.benchmarks.zookeeper;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.autoconfigure.ServiceInstanceGroupResolver;
import io.github.isolation.autoconfigure.ServiceInstanceRouter;
import io.github.isolation.benchmarks.Stats;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.RouteDecision;
import io.github.isolation.core.RouteOutcome;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.BindingsListener;
import io.github.isolation.zookeeper.BindingsSnapshot;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.zookeeper.InstanceAddress;
import org.apache.curator.framework.CuratorFramework;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/**
 * The ZooKeeper view at scale, against a real server in a child process:
 * <ul>
 * <li>load: time from {@code start()} to the first load, and the heap the loaded view keeps
 * (used heap after a full GC, with and without the view), for 1,000 and 10,000 bindings;</li>
 * <li>rebind: time from a binding written (just before the write call) until each of 10
 * clients routes by it: the first routing decision each client makes once its view has the
 * change, taken in the view's change listener, is to the rebound instance; among
 * {@code rebindSizes} other bindings;</li>
 * <li>cost per change: the CPU time and the bytes allocated by each client's ZooKeeper event
 * thread from one change to the next (Curator's handling of the event, the view's update and
 * the rebuild of the routing index of the changed service), from the same rebinds.</li>
 * </ul>
 * Usage: {@code ZookeeperScale [loads=5] [rebinds=200] [sizes=1000,10000] [rebindSizes=1000]}.
 */
public final class ZookeeperScale {

	private static final String SERVICE = "c";

	private static final int CLIENTS = 10;

	private ZookeeperScale() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		int loads = Integer.parseInt(options.getOrDefault("loads", "5"));
		int rebinds = Integer.parseInt(options.getOrDefault("rebinds", "200"));
		int[] sizes = Arrays.stream(options.getOrDefault("sizes", "1000,10000").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		System.out.println("| bindings | load time median (min-max), ms | retained heap median (min-max), MB |");
		System.out.println("|---:|---:|---:|");
		for (int size : sizes) {
			load(size, loads);
		}
		int[] rebindSizes = Arrays.stream(options.getOrDefault("rebindSizes", "1000").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		List<String> costs = new ArrayList<>();
		for (int size : rebindSizes) {
			System.out.println();
			costs.add(rebind(size, rebinds));
		}
		System.out.println();
		System.out.println("| other bindings | CPU per change per client median (p90), us | allocated per change per client"
				+ " median (p90), KB |");
		System.out.println("|---:|---:|---:|");
		costs.forEach(System.out::println);
	}

	private static void load(int size, int loads) throws Exception {
		try (ZookeeperProcess server = ZookeeperProcess.start()) {
			CuratorFramework writer = Bindings.connect(server.connectString());
			Bindings.write(writer, size);
			writer.close();
			double[] millis = new double[loads];
			double[] megabytes = new double[loads];
			for (int i = 0; i < loads; i++) {
				CuratorFramework client = Bindings.connect(server.connectString());
				long before = usedHeapAfterGc();
				BindingsView view = new BindingsView(client);
				long start = System.nanoTime();
				view.start();
				if (!view.awaitInitialized(Bindings.LOAD_TIMEOUT)) {
					throw new IllegalStateException("The view did not load " + size + " bindings in time");
				}
				millis[i] = (System.nanoTime() - start) / 1e6;
				long after = usedHeapAfterGc();
				if (view.snapshot().instanceBindings().size() != size) {
					throw new IllegalStateException("Loaded " + view.snapshot() + " instead of " + size);
				}
				megabytes[i] = (after - before) / (1024.0 * 1024.0);
				view.close();
				client.close();
			}
			System.out.printf(Locale.ROOT, "| %,d | %.0f (%.0f-%.0f) | %.1f (%.1f-%.1f) |%n", size, Stats.median(millis),
					Stats.min(millis), Stats.max(millis), Stats.median(megabytes), Stats.min(megabytes),
					Stats.max(megabytes));
		}
	}

	private static String rebind(int size, int rebinds) throws Exception {
		List<ServiceInstance> instances = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			instances.add(new DefaultServiceInstance("c" + i, SERVICE, "10.0.0." + i, 8080, false, new HashMap<>()));
		}
		ServiceInstance target = instances.get(7);
		InstanceAddress address = new InstanceAddress(target.getHost(), target.getPort());
		try (ZookeeperProcess server = ZookeeperProcess.start()) {
			CuratorFramework writer = Bindings.connect(server.connectString());
			BindingStore store = new BindingStore(writer);
			// Other bindings, which a change must not cost anything for.
			Bindings.write(writer, size);
			List<Client> clients = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				clients.add(new Client(server.connectString(), instances, target));
			}
			// Each view serves its bulk read at once but follows changes only once its cache has
			// loaded the tree node by node too (seconds for 100,000 bindings and 10 clients): a
			// first rebind, not measured, waits for that.
			CountDownLatch following = new CountDownLatch(CLIENTS);
			for (Client client : clients) {
				client.expect(IsolationGroup.of("feature-b"), following);
			}
			store.bind(SERVICE, address, IsolationGroup.of("feature-b"));
			if (!following.await(5, TimeUnit.MINUTES)) {
				throw new IllegalStateException("The clients did not follow ZooKeeper within 5 minutes");
			}
			double[] each = new double[rebinds * CLIENTS];
			// Round 0 measures from the load to the first change: not a change's cost.
			double[] cpu = new double[(rebinds - 1) * CLIENTS];
			double[] allocated = new double[(rebinds - 1) * CLIENTS];
			double[] all = new double[rebinds];
			int missed = 0;
			for (int round = 0; round < rebinds; round++) {
				IsolationGroup group = IsolationGroup.of((round % 2 == 0) ? "feature-a" : "feature-b");
				CountDownLatch routed = new CountDownLatch(CLIENTS);
				for (Client client : clients) {
					client.expect(group, routed);
				}
				long written = System.nanoTime();
				store.bind(SERVICE, address, group);
				if (!routed.await(10, TimeUnit.SECONDS)) {
					missed++;
				}
				double slowest = 0;
				for (int c = 0; c < CLIENTS; c++) {
					long at = clients.get(c).routedAt.get();
					double latency = (at == 0) ? 10_000 : (at - written) / 1e6;
					each[round * CLIENTS + c] = latency;
					slowest = Math.max(slowest, latency);
					if (round > 0) {
						cpu[(round - 1) * CLIENTS + c] = clients.get(c).cpuNanos / 1e3;
						allocated[(round - 1) * CLIENTS + c] = clients.get(c).allocatedBytes / 1024.0;
					}
				}
				all[round] = slowest;
			}
			for (Client client : clients) {
				client.close();
			}
			writer.close();
			System.out.printf(Locale.ROOT, "| rebind to routing, %d clients, %d rebinds, %,d other bindings"
					+ " | p50, ms | p99, ms | max, ms | missed (>10 s) |%n", CLIENTS, rebinds, size);
			System.out.println("|---|---:|---:|---:|---:|");
			System.out.printf(Locale.ROOT, "| each client | %.1f | %.1f | %.1f | %d |%n", Stats.percentile(each, 50),
					Stats.percentile(each, 99), Stats.max(each), missed);
			System.out.printf(Locale.ROOT, "| all %d clients | %.1f | %.1f | %.1f | %d |%n", CLIENTS,
					Stats.percentile(all, 50), Stats.percentile(all, 99), Stats.max(all), missed);
			return String.format(Locale.ROOT, "| %,d | %.0f (%.0f) | %.1f (%.1f) |", size, Stats.median(cpu),
					Stats.percentile(cpu, 90), Stats.median(allocated), Stats.percentile(allocated, 90));
		}
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		// Several rounds: a single System.gc() may leave finalizable or soft garbage behind.
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

	/** A client that routes calls to service {@code c} through its own view of the bindings. */
	private static final class Client implements AutoCloseable {

		private final CuratorFramework curator;

		private final BindingsView view;

		private final ServiceInstanceRouter router;

		private final List<ServiceInstance> instances;

		private final ServiceInstance target;

		private final AtomicLong routedAt = new AtomicLong();

		private volatile IsolationGroup expected;

		private volatile CountDownLatch latch;

		// The event thread's CPU time and allocation at the last change, and since it.
		private long lastThread = -1;

		private long lastCpu;

		private long lastAllocated;

		private volatile long cpuNanos;

		private volatile long allocatedBytes;

		Client(String connectString, List<ServiceInstance> instances, ServiceInstance target) throws Exception {
			this.curator = Bindings.connect(connectString);
			this.view = new BindingsView(this.curator);
			this.router = new ServiceInstanceRouter(new ServiceInstanceGroupResolver(this.view), FailFastServices.NONE);
			this.instances = List.copyOf(instances);
			this.target = target;
			this.view.addListener(new BindingsListener() {

				@Override
				public void bindingsChanged(BindingsSnapshot snapshot) {
					measure();
					check();
				}

			});
			this.view.start();
			if (!this.view.awaitInitialized(Bindings.LOAD_TIMEOUT)) {
				throw new IllegalStateException("The view did not load in time");
			}
			// Routed twice before the first change, so that the router holds an index to rebuild.
			route(IsolationGroup.STABLE);
			route(IsolationGroup.STABLE);
		}

		private void measure() {
			com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
				.getThreadMXBean();
			long thread = Thread.currentThread().getId();
			long cpu = threads.getCurrentThreadCpuTime();
			long allocated = threads.getCurrentThreadAllocatedBytes();
			if (thread == this.lastThread) {
				this.cpuNanos = cpu - this.lastCpu;
				this.allocatedBytes = allocated - this.lastAllocated;
			}
			this.lastThread = thread;
			this.lastCpu = cpu;
			this.lastAllocated = allocated;
		}

		void expect(IsolationGroup group, CountDownLatch latch) {
			this.routedAt.set(0);
			this.latch = latch;
			this.expected = group;
		}

		private void check() {
			IsolationGroup group = this.expected;
			CountDownLatch done = this.latch;
			if (group == null || done == null || this.routedAt.get() != 0) {
				return;
			}
			RouteDecision<ServiceInstance> decision = route(group);
			if (decision.outcome() == RouteOutcome.OWN_GROUP && decision.instances().equals(List.of(this.target))
					&& this.routedAt.compareAndSet(0, System.nanoTime())) {
				done.countDown();
			}
		}

		private RouteDecision<ServiceInstance> route(IsolationGroup group) {
			return this.router.decide(SERVICE, new IsolationTag(group, FailFastServices.NONE), this.instances);
		}

		@Override
		public void close() {
			this.view.close();
			this.curator.close();
		}

	}

}
