package io.github.isolation.it.zookeeper;

import java.time.Duration;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainClient;
import io.github.isolation.testsupport.Bridge;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Applications that start while ZooKeeper is down, and pick the bindings up once it is up. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ZookeeperStartupTests {

	private final TestingServer zookeeper;

	private final Chain chain;

	ZookeeperStartupTests() throws Exception {
		this.zookeeper = new TestingServer(InstanceSpec.getRandomPort(), false);
		this.chain = new Chain(Bridge.BRAVE, true)
			.with("isolation.zookeeper.connect-string=" + this.zookeeper.getConnectString());
	}

	@AfterAll
	void stop() throws Exception {
		this.chain.close();
		this.zookeeper.close();
	}

	@Test
	void shouldStartAndRouteStableWhileZookeeperIsDownThenApplyBindingsOnceItIsUp(CapturedOutput output)
			throws Exception {
		this.chain.start("c", null, null);
		Instance c1 = this.chain.start("c", null, null);
		this.chain.start("b", null, "c");
		Instance a = this.chain.start("a", null, "b");

		assertThat(output).contains("ZooKeeper at " + this.zookeeper.getConnectString() + " is not reachable yet");
		for (int i = 0; i < 10; i++) {
			assertThat(tagged(a)).isEqualTo("a@stable > b@stable > c@stable");
		}

		this.zookeeper.start();
		new Tool(this.zookeeper.getConnectString()).run("bind", "c", "127.0.0.1:" + c1.port(), "feature-x");

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(tagged(a)).isEqualTo("a@stable > b@stable > c@feature-x"));
	}

	private String tagged(Instance entry) {
		Reply reply = this.chain.call(entry, ChainClient.FEIGN, "isolation-group", "feature-x");
		assertThat(reply.status()).as("status of %s", reply).isEqualTo(200);
		return reply.body();
	}

}
