package io.github.isolation.it.zookeeper;

import java.time.Duration;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainClient;
import io.github.isolation.testsupport.Bridge;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.zookeeper.InstanceBinding;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chain {@code a -> b -> c} over real HTTP with {@code isolation.zookeeper.view=used} and
 * bindings in a real ZooKeeper: each instance holds only its own service's bindings and those
 * of the service it calls, and the first call to a service is routed by its binding at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZookeeperUsedViewRoutingTests {

	private static final String UNTAGGED = "a@stable > b@stable > c@stable";

	private static final String TO_FEATURE_X = "a@stable > b@stable > c@feature-x";

	private final TestingServer zookeeper;

	private final Tool tool;

	private final Chain chain;

	private final Instance c1;

	private final Instance b;

	private final Instance a;

	ZookeeperUsedViewRoutingTests() throws Exception {
		this.zookeeper = new TestingServer();
		this.tool = new Tool(this.zookeeper.getConnectString());
		this.chain = new Chain(Bridge.BRAVE, true).with(
				"isolation.zookeeper.connect-string=" + this.zookeeper.getConnectString(),
				"isolation.zookeeper.view=used");
		this.chain.start("c", null, null);
		this.c1 = this.chain.start("c", null, null);
		this.b = this.chain.start("b", null, "c");
		this.a = this.chain.start("a", null, "b");
	}

	@AfterAll
	void stop() throws Exception {
		this.chain.close();
		this.zookeeper.close();
	}

	@Test
	void shouldRouteTheFirstCallByABindingAndFollowItWhileHoldingOnlyUsedServices() {
		// given: c1 is bound to feature-x before anybody has called c, and a service nobody calls
		// has bindings too
		this.tool.run("bind", "c", address(this.c1), "feature-x");
		this.tool.run("bind", "unused", "127.0.0.1:1", "feature-x");
		BindingsView viewOfB = this.b.context().getBean(BindingsView.class);
		assertThat(viewOfB.followedServices()).doesNotContain("c");

		// when: the very first call, with no waiting for any view
		String first = tagged("feature-x");

		// then
		assertThat(first).isEqualTo(TO_FEATURE_X);
		assertThat(untagged()).isEqualTo(UNTAGGED);
		assertThat(viewOfB.followedServices()).containsExactlyInAnyOrder("b", "c");
		assertThat(this.a.context().getBean(BindingsView.class).followedServices()).containsExactlyInAnyOrder("a", "b");
		for (Instance instance : this.chain.instances()) {
			assertThat(instance.context().getBean(BindingsView.class).snapshot().instanceBindings())
				.extracting(InstanceBinding::serviceId)
				.doesNotContain("unused");
		}

		// and when the binding goes, routing follows
		this.tool.run("unbind", "c", address(this.c1));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(tagged("feature-x")).isEqualTo(UNTAGGED));
	}

	private String tagged(String group) {
		return bodyOf(this.chain.call(this.a, ChainClient.RESTTEMPLATE, "isolation-group", group));
	}

	private String untagged() {
		return bodyOf(this.chain.call(this.a, ChainClient.RESTTEMPLATE));
	}

	private static String bodyOf(Reply reply) {
		assertThat(reply.status()).as("status of %s", reply).isEqualTo(200);
		return reply.body();
	}

	private static String address(Instance instance) {
		return "127.0.0.1:" + instance.port();
	}

}
