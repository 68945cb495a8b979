package io.github.isolation.benchmarks.decision;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.isolation.autoconfigure.ServiceInstanceGroupResolver;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IndexedRouter;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRouter;
import io.github.isolation.core.RouteDecision;
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

/**
 * The rule in core, without Reactor: {@code scan} is {@link IsolationRouter#route} on every call
 * (what the supplier did before the index); {@code indexedSameList} is {@link IndexedRouter} on a
 * replayed list; {@code indexedNewList} is {@link IndexedRouter} handed another list object of
 * the same instances on every call. (A list of new instance objects on every call is routed by
 * the scan; {@code SupplierBenchmark} with {@code lists=NEW_INSTANCES} and {@code supplier=SCAN}
 * compares that case with the scan as it was.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RuleBenchmark {

	@Param({ "10", "100", "1000", "10000" })
	public int instances;

	@Param({ "10" })
	public int groups;

	private final IsolationGroup group = IsolationGroup.of("g1");

	private ServiceInstanceGroupResolver resolver;

	private IndexedRouter<ServiceInstance> sameRouter;

	private IndexedRouter<ServiceInstance> newRouter;

	private List<ServiceInstance> first;

	private List<ServiceInstance> second;

	private int calls;

	@Setup
	public void setUp() {
		List<ServiceInstance> all = Fixtures.instances(this.instances, this.groups);
		this.first = List.copyOf(all);
		this.second = List.copyOf(all);
		this.resolver = new ServiceInstanceGroupResolver(GroupBindings.NONE);
		this.sameRouter = new IndexedRouter<>(this.resolver);
		this.newRouter = new IndexedRouter<>(this.resolver);
	}

	@Benchmark
	public RouteDecision<ServiceInstance> scan() {
		return IsolationRouter.route(Fixtures.SERVICE, this.group, FailFastServices.NONE, this.first, this.resolver);
	}

	@Benchmark
	public RouteDecision<ServiceInstance> indexedSameList() {
		return this.sameRouter.route(Fixtures.SERVICE, this.group, FailFastServices.NONE, this.first);
	}

	@Benchmark
	public RouteDecision<ServiceInstance> indexedNewList() {
		List<ServiceInstance> instances = ((this.calls++ & 1) == 0) ? this.first : this.second;
		return this.newRouter.route(Fixtures.SERVICE, this.group, FailFastServices.NONE, instances);
	}

}
