package io.github.isolation.it.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.zookeeper.BindingsView;
import io.github.isolation.testsupport.Bridge;
import io.github.isolation.testsupport.Ensembles;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chain with its bindings in a three-node ZooKeeper ensemble whose leader is killed while
 * requests flow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZookeeperClusterTests {

	private static final String UNTAGGED = "a@stable > b@stable > c@stable";

	private static final String TO_FEATURE_X = "a@stable > b@stable > c@feature-x";

	private static final String TO_FEATURE_W = "a@stable > b@stable > c@feature-w";

	private final TestingCluster cluster;

	private final Chain chain;

	private final Instance b;

	private final Instance a;

	ZookeeperClusterTests() throws Exception {
		// The leader is found by asking each server; ZooKeeper answers only allowed commands.
		System.setProperty("zookeeper.4lw.commands.whitelist", "srvr");
		this.cluster = new TestingCluster(Ensembles.specs(3, -1));
		this.cluster.start();
		this.chain = new Chain(Bridge.BRAVE, true)
			.with("isolation.zookeeper.connect-string=" + this.cluster.getConnectString());
		this.chain.start("c", null, null);
		Instance c1 = this.chain.start("c", null, null);
		this.chain.start("c", "feature-w", null);
		this.b = this.chain.start("b", null, "c");
		this.a = this.chain.start("a", null, "b");
		new Tool(this.cluster.getConnectString()).run("bind", "c", "127.0.0.1:" + c1.port(), "feature-x");
	}

	@AfterAll
	void stop() throws Exception {
		this.chain.close();
		this.cluster.close();
	}

	@Test
	void shouldRouteWithoutAFailedOrMisroutedCallWhileTheLeaderIsKilled() throws Exception {
		BindingsView view = this.b.context().getBean(BindingsView.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> view.snapshot().instanceBindings().size() == 2);
		try (Traffic traffic = new Traffic(this.chain, this.a,
				Map.of("", UNTAGGED, "feature-x", TO_FEATURE_X, "feature-w", TO_FEATURE_W))) {
			awaitMoreCalls(traffic, 10);

			InstanceSpec leader = leader();
			assertThat(this.cluster.killServer(leader)).isTrue();
			awaitMoreCalls(traffic, 50);

			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(leader()).isNotNull().isNotEqualTo(leader);
				assertThat(view.connection()).isEqualTo(BindingsView.Connection.CONNECTED);
			});
			awaitMoreCalls(traffic, 10);
			traffic.close();
			assertThat(traffic.wrongCalls()).isEmpty();
		}
	}

	private InstanceSpec leader() {
		for (InstanceSpec spec : this.cluster.getInstances()) {
			if (mode(spec).contains("Mode: leader")) {
				return spec;
			}
		}
		return null;
	}

	private static String mode(InstanceSpec spec) {
		try (Socket socket = new Socket("127.0.0.1", spec.getPort())) {
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write("srvr".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static void awaitMoreCalls(Traffic traffic, int more) {
		int target = traffic.calls() + more;
		await().atMost(Duration.ofSeconds(30)).until(() -> traffic.calls() >= target);
	}

}
