package io.github.isolation.benchmarks;

import java.util.List;

import io.github.isolation.benchmarks.decision.Fixtures;
import io.github.isolation.benchmarks.decision.Fixtures.Lists;
import io.github.isolation.benchmarks.decision.Fixtures.RequestKind;
import io.github.isolation.benchmarks.decision.Fixtures.SupplierKind;
import io.github.isolation.benchmarks.decision.LoadBalancerBenchmark;
import io.github.isolation.benchmarks.decision.RuleBenchmark;
import io.github.isolation.benchmarks.decision.SupplierBenchmark;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.RouteOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smoke run of the benchmark fixtures, one call each, so that the normal build proves the
 * benchmarks measure what they claim: each supplier answers what it should for the request.
 */
class BenchmarkFixturesTests {

	@ParameterizedTest
	@EnumSource(Lists.class)
	void shouldHaveEachSupplierAnswerWhatItIsMeantToForATaggedRequest(Lists lists) {
		// given
		SupplierBenchmark isolation = supplierBenchmark(SupplierKind.ISOLATION, lists);
		SupplierBenchmark passthrough = supplierBenchmark(SupplierKind.PASSTHROUGH, lists);
		SupplierBenchmark hint = supplierBenchmark(SupplierKind.HINT, lists);

		// when
		List<ServiceInstance> own = isolation.decide();
		List<ServiceInstance> ownAgain = isolation.decide();
		List<ServiceInstance> all = passthrough.decide();
		List<ServiceInstance> hinted = hint.decide();

		// then
		assertThat(own).hasSize(10)
			.allSatisfy((instance) -> assertThat(instance.getMetadata()).containsEntry(IsolationTags.METADATA_GROUP, "g1"));
		assertThat(ownAgain).containsExactlyElementsOf(own);
		assertThat(all).hasSize(100);
		assertThat(hinted).containsExactlyElementsOf(own);
	}

	@Test
	void shouldChooseAnInstanceOfTheRequestsGroupThroughTheLoadBalancer() {
		// given
		LoadBalancerBenchmark benchmark = new LoadBalancerBenchmark();
		benchmark.supplier = SupplierKind.ISOLATION;
		benchmark.instances = 100;
		benchmark.groups = 10;
		benchmark.request = RequestKind.OWN;
		benchmark.setUp();

		// when
		ServiceInstance chosen = benchmark.choose().getServer();

		// then
		assertThat(chosen.getMetadata()).containsEntry(IsolationTags.METADATA_GROUP, "g1");
	}

	@Test
	void shouldDecideAlikeWhetherScanningOrIndexed() {
		// given
		RuleBenchmark benchmark = new RuleBenchmark();
		benchmark.instances = 100;
		benchmark.groups = 10;
		benchmark.setUp();

		// when, then
		for (int i = 0; i < 4; i++) {
			assertThat(benchmark.indexedSameList()).isEqualTo(benchmark.scan());
			assertThat(benchmark.indexedNewList()).isEqualTo(benchmark.scan());
		}
		assertThat(benchmark.scan().outcome()).isEqualTo(RouteOutcome.OWN_GROUP);
	}

	@Test
	void shouldSpreadInstancesOverGroupsWithGroupZeroStable() {
		// when
		List<ServiceInstance> instances = Fixtures.instances(30, 3);

		// then
		assertThat(instances).extracting((instance) -> instance.getMetadata().get(Fixtures.HINT_METADATA))
			.containsOnly("stable", "g1", "g2");
		assertThat(instances).filteredOn((instance) -> !instance.getMetadata().containsKey(IsolationTags.METADATA_GROUP))
			.hasSize(10);
		assertThat(instances).extracting(ServiceInstance::getHost).doesNotHaveDuplicates();
	}

	private static SupplierBenchmark supplierBenchmark(SupplierKind kind, Lists lists) {
		SupplierBenchmark benchmark = new SupplierBenchmark();
		benchmark.supplier = kind;
		benchmark.instances = 100;
		benchmark.groups = 10;
		benchmark.request = RequestKind.OWN;
		benchmark.lists = lists;
		benchmark.setUp();
		return benchmark;
	}

}
