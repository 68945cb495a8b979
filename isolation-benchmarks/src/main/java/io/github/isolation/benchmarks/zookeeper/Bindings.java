package io.github.isolation.benchmarks.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.InstanceAddress;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Writes many bindings at once and connects clients, for the ZooKeeper benchmarks. */
public final class Bindings {

	/** Services the bindings are spread over. */
	public static final int SERVICES = 100;

	/** Groups the bindings are spread over. */
	public static final int GROUPS = 10;

	private static final int BATCH = 500;

	private Bindings() {
	}

	/**
	 * A started client that is connected.
	 * @param connectString the server
	 * @return the client
	 * @throws InterruptedException if interrupted while connecting
	 */
	public static CuratorFramework connect(String connectString) throws InterruptedException {
		CuratorFramework client = CuratorFrameworkFactory.builder()
			.connectString(connectString)
			.sessionTimeoutMs(60_000)
			.connectionTimeoutMs(15_000)
			.retryPolicy(new ExponentialBackoffRetry(200, 10, 2_000))
			.build();
		client.start();
		if (!client.blockUntilConnected(15, TimeUnit.SECONDS)) {
			client.close();
			throw new IllegalStateException("Could not connect to ZooKeeper at " + connectString);
		}
		return client;
	}

	/**
	 * Writes {@code count} instance bindings under the default root, spread over
	 * {@value #SERVICES} services and {@value #GROUPS} groups, in multi-operation transactions.
	 * @param client a connected client
	 * @param count how many
	 * @throws Exception if ZooKeeper refuses
	 */
	public static void write(CuratorFramework client, int count) throws Exception {
		write(client, count, SERVICES);
	}

	/**
	 * Writes {@code count} instance bindings under the default root, the i-th to service
	 * {@code i % services}, spread over {@value #GROUPS} groups.
	 * @param client a connected client
	 * @param count how many
	 * @param services over how many services
	 * @throws Exception if ZooKeeper refuses
	 */
	public static void write(CuratorFramework client, int count, int services) throws Exception {
		BindingPaths paths = BindingPaths.defaults();
		client.create().creatingParentsIfNeeded().forPath(paths.bindingsPath());
		for (int s = 0; s < services; s++) {
			client.create().forPath(paths.servicePath(serviceId(s)));
		}
		List<CuratorOp> batch = new ArrayList<>(BATCH);
		for (int i = 0; i < count; i++) {
			String path = paths.instancePath(serviceId(i % services), address(i));
			byte[] group = ("g" + (i % GROUPS)).getBytes(StandardCharsets.UTF_8);
			batch.add(client.transactionOp().create().forPath(path, group));
			if (batch.size() == BATCH || i == count - 1) {
				client.transaction().forOperations(batch);
				batch.clear();
			}
		}
	}

	/**
	 * The service of the i-th binding's service index.
	 * @param index the index
	 * @return the service id
	 */
	public static String serviceId(int index) {
		return "service-" + index;
	}

	/**
	 * The address of the i-th binding.
	 * @param i the index
	 * @return a distinct address
	 */
	public static InstanceAddress address(int i) {
		return new InstanceAddress("10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff), 8080);
	}

	/** How long to wait for a view's first load at most. */
	public static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

}
