package io.github.isolation.it.zookeeper;

import java.time.Duration;
import java.util.Map;

import io.github.isolation.autoconfigure.zookeeper.IsolationZookeeperClient;
import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainClient;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.testsupport.Bridge;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chain {@code a -> b -> c} with bindings in a real ZooKeeper ({@link TestingServer}):
 * {@code c1} has no group of its own and is bound by the command-line tool, {@code c2} binds
 * itself to {@code feature-w}. Discovery is static, so only bindings change routing here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZookeeperRoutingTests {

	private static final String UNTAGGED = "a@stable > b@stable > c@stable";

	private static final String TO_FEATURE_X = "a@stable > b@stable > c@feature-x";

	private static final String TO_FEATURE_W = "a@stable > b@stable > c@feature-w";

	private final TestingServer zookeeper;

	private final Tool tool;

	private final Chain chain;

	private final Instance c1;

	private final Instance c2;

	private final Instance b;

	private final Instance a;

	ZookeeperRoutingTests() throws Exception {
		this.zookeeper = new TestingServer();
		this.tool = new Tool(this.zookeeper.getConnectString());
		this.chain = new Chain(Bridge.BRAVE, true)
			.with("isolation.zookeeper.connect-string=" + this.zookeeper.getConnectString());
		this.chain.start("c", null, null);
		this.c1 = this.chain.start("c", null, null);
		this.c2 = this.chain.start("c", "feature-w", null);
		this.b = this.chain.start("b", null, "c");
		this.a = this.chain.start("a", null, "b");
	}

	@AfterAll
	void stop() throws Exception {
		this.chain.close();
		this.zookeeper.close();
	}

	@AfterEach
	void unbindC1() {
		this.tool.run("prune", "feature-x");
		// The next test starts only once every instance's view has heard of the prune: each hop
		// reports its group from its own view, and a view can lag behind after an outage.
		for (Instance instance : this.chain.instances()) {
			BindingsView view = instance.context().getBean(BindingsView.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> view.snapshot().instanceBindings().stream()
					.noneMatch((binding) -> binding.group().name().equals("feature-x")));
		}
	}

	@Test
	void shouldRouteToAnInstanceThatBoundItself() {
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(tagged("feature-w")).isEqualTo(TO_FEATURE_W));
		assertThat(this.tool.run("list", "--service", "c")).contains("c", address(this.c2), "feature-w", "ephemeral");
	}

	@Test
	void shouldApplyABindingWrittenWithTheToolAndRestoreStableRoutingOnUnbind() {
		assertThat(tagged("feature-x")).isEqualTo(UNTAGGED);

		this.tool.run("bind", "c", address(this.c1), "feature-x");

		// How fast a binding applies is measured by the benchmarks; here only that it does.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(tagged("feature-x")).isEqualTo(TO_FEATURE_X));
		for (int i = 0; i < 20; i++) {
			assertThat(untagged()).isEqualTo(UNTAGGED);
		}

		this.tool.run("unbind", "c", address(this.c1));

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(tagged("feature-x")).isEqualTo(UNTAGGED));
	}

	@Test
	void shouldRouteFromTheLastViewWhileZookeeperIsDownAndCatchUpWhenItReturns() throws Exception {
		bindC1AndWait();
		BindingsView view = this.b.context().getBean(BindingsView.class);
		try (Traffic traffic = new Traffic(this.chain, this.a,
				Map.of("", UNTAGGED, "feature-x", TO_FEATURE_X, "feature-w", TO_FEATURE_W))) {
			awaitMoreCalls(traffic, 10);

			this.zookeeper.stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> view.connection() != BindingsView.Connection.CONNECTED);
			awaitMoreCalls(traffic, 50);
			this.zookeeper.restart();

			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(view.connection()).isEqualTo(BindingsView.Connection.CONNECTED);
				assertThat(ephemeralOwner(this.c2)).isEqualTo(sessionId(this.c2));
			});
			awaitMoreCalls(traffic, 10);
			traffic.close();
			assertThat(traffic.wrongCalls()).isEmpty();
		}
	}

	@Test
	void shouldRouteFromTheLastViewThroughASessionExpiryAndRestoreTheSelfBinding() throws Exception {
		bindC1AndWait();
		long sessionBefore = sessionId(this.c2);
		BindingsView view = this.b.context().getBean(BindingsView.class);
		try (Traffic traffic = new Traffic(this.chain, this.a,
				Map.of("", UNTAGGED, "feature-x", TO_FEATURE_X, "feature-w", TO_FEATURE_W))) {
			awaitMoreCalls(traffic, 10);

			Sessions.expire(client(this.b), this.zookeeper.getConnectString());
			Sessions.expire(client(this.c2), this.zookeeper.getConnectString());

			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(sessionId(this.c2)).isNotEqualTo(sessionBefore);
				assertThat(ephemeralOwner(this.c2)).isEqualTo(sessionId(this.c2));
				assertThat(view.connection()).isEqualTo(BindingsView.Connection.CONNECTED);
			});
			awaitMoreCalls(traffic, 10);
			traffic.close();
			assertThat(traffic.wrongCalls()).isEmpty();
		}
	}

	private void bindC1AndWait() {
		this.tool.run("bind", "c", address(this.c1), "feature-x");
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(tagged("feature-x")).isEqualTo(TO_FEATURE_X));
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

	private static void awaitMoreCalls(Traffic traffic, int more) {
		int target = traffic.calls() + more;
		await().atMost(Duration.ofSeconds(30)).until(() -> traffic.calls() >= target);
	}

	private static String address(Instance instance) {
		return "127.0.0.1:" + instance.port();
	}

	private static CuratorFramework client(Instance instance) {
		return instance.context().getBean(IsolationZookeeperClient.class).client();
	}

	private static long sessionId(Instance instance) throws Exception {
		return client(instance).getZookeeperClient().getZooKeeper().getSessionId();
	}

	private long ephemeralOwner(Instance instance) throws Exception {
		Stat stat = client(this.b).checkExists().forPath("/isolation/bindings/c/" + address(instance));
		return (stat != null) ? stat.getEphemeralOwner() : -1;
	}

}
