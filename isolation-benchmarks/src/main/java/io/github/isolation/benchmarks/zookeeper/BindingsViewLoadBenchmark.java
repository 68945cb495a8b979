package io.github.isolation.benchmarks.zookeeper;

import java.util.concurrent.TimeUnit;

import io.github.isolation.zookeeper.BindingsView;
import org.apache.curator.framework.CuratorFramework;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time for a new {@link BindingsView} to load every binding, from {@code start()} to the
 * first load, against a real ZooKeeper server in a child process. One load per invocation;
 * retained heap and rebind latency are measured by {@link ZookeeperScale}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class BindingsViewLoadBenchmark {

	@Param({ "1000", "10000" })
	public int bindings;

	private ZookeeperProcess server;

	private CuratorFramework writer;

	private CuratorFramework client;

	private BindingsView view;

	@Setup(Level.Trial)
	public void startServer() throws Exception {
		this.server = ZookeeperProcess.start();
		this.writer = Bindings.connect(this.server.connectString());
		Bindings.write(this.writer, this.bindings);
	}

	@Setup(Level.Invocation)
	public void connect() throws Exception {
		this.client = Bindings.connect(this.server.connectString());
		this.view = new BindingsView(this.client);
	}

	@Benchmark
	public BindingsView load() throws InterruptedException {
		this.view.start();
		if (!this.view.awaitInitialized(Bindings.LOAD_TIMEOUT)) {
			throw new IllegalStateException("The view did not load within " + Bindings.LOAD_TIMEOUT);
		}
		return this.view;
	}

	@TearDown(Level.Invocation)
	public void disconnect() {
		this.view.close();
		this.client.close();
	}

	@TearDown(Level.Trial)
	public void stopServer() throws InterruptedException {
		this.writer.close();
		this.server.close();
	}

}
