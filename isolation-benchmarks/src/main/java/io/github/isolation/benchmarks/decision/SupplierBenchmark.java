package io.github.isolation.benchmarks.decision;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.isolation.benchmarks.decision.Fixtures.Lists;
import io.github.isolation.benchmarks.decision.Fixtures.RequestKind;
import io.github.isolation.benchmarks.decision.Fixtures.SupplierKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * The decision alone: one supplier's {@code get(request)} over a delegate that hands out a
 * fixed list, read the way a blocking load-balancer client reads it. Compare
 * {@code supplier=ISOLATION} with {@code PASSTHROUGH} (the floor) and {@code HINT} (Spring
 * Cloud's {@code HintBasedServiceInstanceListSupplier}) at the same parameters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SupplierBenchmark {

	@Param({ "ISOLATION", "PASSTHROUGH", "MAPPING", "HINT" })
	public SupplierKind supplier;

	@Param({ "10", "100", "1000", "10000" })
	public int instances;

	@Param({ "1", "10", "100" })
	public int groups;

	@Param({ "OWN" })
	public RequestKind request;

	@Param({ "SAME" })
	public Lists lists;

	private ServiceInstanceListSupplier chain;

	private Request<?> call;

	@Setup
	public void setUp() {
		this.chain = Fixtures.supplier(this.supplier,
				Fixtures.delegate(this.instances, this.groups, this.lists));
		this.call = Fixtures.request(this.request);
	}

	@Benchmark
	public List<ServiceInstance> decide() {
		return this.chain.get(this.call).blockFirst();
	}

}
