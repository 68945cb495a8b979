package io.github.isolation.it.reactive;

import java.time.Duration;

import io.github.isolation.it.reactive.HopApp.ReactiveClient;
import io.github.isolation.it.reactive.ReactiveChain.Instance;
import io.github.isolation.testsupport.Bridge;
import io.github.isolation.testsupport.EdgeRuleCorpus;
import io.github.isolation.testsupport.SocketHttp;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.EdgeRuleStore;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WebFlux edge ({@code a}, calling {@code b}, calling {@code c} with stable, {@code feature-x}
 * and {@code hotfix-1} instances) decides the shared corpus of edge rules
 * ({@link EdgeRuleCorpus}) from a real ZooKeeper as the servlet edge and both gateways do
 * ({@code GatewayEdgeRulesTests}): the same group reached and the same rule named for each
 * request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReactiveEdgeRulesTests {

	private static final String TRUSTED = "127.0.0.1";

	private static final String PATH = "/hop?via=" + ReactiveClient.PLAIN.via();

	private final EdgeRuleCorpus corpus = EdgeRuleCorpus.load();

	private final TestingServer zookeeper;

	private final CuratorFramework operator;

	private final ReactiveChain chain = new ReactiveChain(Bridge.BRAVE, false);

	private final Instance edge;

	ReactiveEdgeRulesTests() throws Exception {
		this.zookeeper = new TestingServer();
		this.operator = CuratorFrameworkFactory.newClient(this.zookeeper.getConnectString(),
				new ExponentialBackoffRetry(100, 5));
		this.operator.start();
		EdgeRuleStore store = new EdgeRuleStore(this.operator, BindingPaths.defaults(), null);
		for (String rule : this.corpus.rules()) {
			store.put(rule);
		}
		this.chain.start("c", null, null);
		this.chain.start("c", "feature-x", null);
		this.chain.start("c", "hotfix-1", null);
		this.chain.start("b", null, "c");
		this.edge = this.chain.start("a", null, "b", "isolation.edge.enabled=true",
				"isolation.edge.accept-tags-from=" + TRUSTED + "/32", "isolation.edge.allowed-groups=feature-*,hotfix-*",
				"isolation.debug.route-header=true",
				"isolation.zookeeper.connect-string=" + this.zookeeper.getConnectString());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> reached(SocketHttp.get(TRUSTED, this.edge.port(), PATH, "x-tenant", "acme")), "hotfix-1"::equals);
	}

	@AfterAll
	void stop() throws Exception {
		this.chain.close();
		this.operator.close();
		this.zookeeper.close();
	}

	@Test
	void shouldDecideTheSharedCorpusAsEveryOtherEdgeDoes() {
		assertThat(this.corpus.requests()).hasSizeGreaterThan(10);
		for (EdgeRuleCorpus.Request request : this.corpus.requests()) {
			SocketHttp.Response reply = SocketHttp.get(request.from(), this.edge.port(), request.pathAndQuery(PATH),
					request.headers());
			String route = header(reply, "isolation-route");
			assertThat(reached(reply)).as("group of '%s' (%s)", request, reply.body()).isEqualTo(request.group());
			if (TRUSTED.equals(request.from())) {
				assertThat(EdgeRuleCorpus.ruleIn(route)).as("rule of '%s' (%s)", request, route).isEqualTo(request.rule());
			}
			else {
				assertThat(route).isNull();
			}
		}
	}

	private static String header(SocketHttp.Response reply, String name) {
		for (String line : reply.head().split("\\r\\n")) {
			if (line.startsWith(name + ":")) {
				return line.substring(name.length() + 1).strip();
			}
		}
		return null;
	}

	// The group of the last service in the chain, from a body such as "a@stable > b@stable > c@feature-x".
	private static String reached(SocketHttp.Response reply) {
		String body = reply.body();
		int at = body.lastIndexOf("c@");
		return (reply.status() == 200 && at >= 0) ? body.substring(at + 2).strip() : "status " + reply.status() + ": " + body;
	}

}
