package io.github.isolation.it;

import java.util.HashSet;
import java.util.Set;

import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainClient;
import io.github.isolation.testsupport.Bridge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code isolation.enabled=false} the application behaves as plain Spring Cloud: round
 * robin over every instance, whatever its group or the request's tag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DisabledIsolationTests {

	private final Chain chain = new Chain(Bridge.BRAVE, true);

	private final Instance entry;

	DisabledIsolationTests() {
		this.chain.start("c", null, null);
		this.chain.start("c", "feature-x", null);
		this.entry = this.chain.start("a", "feature-y", "c", "isolation.enabled=false");
	}

	@AfterAll
	void stopChain() {
		this.chain.close();
	}

	@Test
	void shouldReachEveryInstanceRoundRobinWhateverTheTag() {
		Set<String> routes = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			routes.add(bodyOf(this.chain.call(this.entry, ChainClient.RESTTEMPLATE, "isolation-group", "feature-x")));
			routes.add(bodyOf(this.chain.call(this.entry, ChainClient.FEIGN)));
		}

		assertThat(routes).containsExactlyInAnyOrder("a@feature-y > c@stable", "a@feature-y > c@feature-x");
	}

	@Test
	void shouldLeaveSpringCloudsSupplierChainAndTracingSettingsAlone() {
		ServiceInstanceListSupplier supplier = this.entry.context()
			.getBean(LoadBalancerClientFactory.class)
			.getInstance("c", ServiceInstanceListSupplier.class);

		assertThat(this.entry.context().getBeanNamesForType(IsolationContext.class)).isEmpty();
		assertThat(supplier.getClass().getName()).doesNotContain("isolation");
		assertThat(this.entry.context().getEnvironment().getProperty("management.tracing.baggage.remote-fields"))
			.isNull();
	}

	private static String bodyOf(Reply reply) {
		assertThat(reply.status()).as("status of %s", reply).isEqualTo(200);
		return reply.body();
	}

}
