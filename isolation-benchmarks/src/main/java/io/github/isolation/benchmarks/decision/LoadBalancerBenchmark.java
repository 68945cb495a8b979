package io.github.isolation.benchmarks.decision;

import java.util.Map;
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

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * The whole load-balancer choice: Spring Cloud's {@code RoundRobinLoadBalancer} over each
 * supplier, blocked on as {@code BlockingLoadBalancerClient} does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoadBalancerBenchmark {

	@Param({ "ISOLATION", "PASSTHROUGH", "HINT" })
	public SupplierKind supplier;

	@Param({ "100", "1000" })
	public int instances;

	@Param({ "10" })
	public int groups;

	@Param({ "OWN" })
	public RequestKind request;

	private RoundRobinLoadBalancer loadBalancer;

	private Request<?> call;

	@Setup
	public void setUp() {
		ServiceInstanceListSupplier chain = Fixtures.supplier(this.supplier,
				Fixtures.delegate(this.instances, this.groups, Lists.SAME));
		ObjectProvider<ServiceInstanceListSupplier> provider = new StaticListableBeanFactory(
				Map.of("supplier", chain)).getBeanProvider(ServiceInstanceListSupplier.class);
		this.loadBalancer = new RoundRobinLoadBalancer(provider, Fixtures.SERVICE);
		this.call = Fixtures.request(this.request);
	}

	@Benchmark
	public Response<ServiceInstance> choose() {
		return this.loadBalancer.choose(this.call).block();
	}

}
