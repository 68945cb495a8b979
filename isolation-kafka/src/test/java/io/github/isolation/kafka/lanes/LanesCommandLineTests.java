package io.github.isolation.kafka.lanes;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import io.github.isolation.zookeeper.cli.IsolationCli;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the lanes write to ZooKeeper is what {@code isolation lanes} lists: the lane's own
 * writer ({@link LaneWatermarks}) against a real ZooKeeper, no broker needed since the offsets
 * are given.
 */
class LanesCommandLineTests {

	@Test
	void shouldListWhereALaneOpenedAndClosedWithTheCommandLineTool() throws Exception {
		try (TestingServer server = new TestingServer();
				CuratorFramework client = CuratorFrameworkFactory.newClient(server.getConnectString(),
						new RetryOneTime(100));
				LaneWatermarks watermarks = new LaneWatermarks(client, "/isolation", "notifications")) {
			client.start();
			watermarks.openOrRead("notifications.listener", "order/placed", "feature-x", () -> Map.of(0, 42L, 1, 17L));
			// Partition 1 closes and opens again; then the lane retires again and closes on partition 0 only.
			watermarks.retire("notifications.listener", "order/placed", "feature-x");
			watermarks.closeAt("notifications.listener", "order/placed", "feature-x", 1, 30);
			watermarks.open("notifications.listener", "order/placed", "feature-x", () -> Map.of(0, 50L, 1, 60L));
			watermarks.retire("notifications.listener", "order/placed", "feature-x");
			watermarks.closeAt("notifications.listener", "order/placed", "feature-x", 0, 45);

			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			int exitCode = IsolationCli.run(
					new String[] { "--connect", server.getConnectString(), "lanes", "--service", "notifications",
							"--output", "json" },
					new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

			assertThat(exitCode).isZero();
			assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
			assertThat(out.toString(StandardCharsets.UTF_8))
				.startsWith("[{\"service\":\"notifications\",\"consumer_group\":\"notifications.listener\","
						+ "\"topic\":\"order/placed\",\"group\":\"feature-x\",\"partition\":0,\"state\":\"closed\","
						+ "\"offset\":42,\"spans\":\"42,45\",\"opened\":\"")
				.contains("{\"service\":\"notifications\",\"consumer_group\":\"notifications.listener\","
						+ "\"topic\":\"order/placed\",\"group\":\"feature-x\",\"partition\":1,\"state\":\"retiring\","
						+ "\"offset\":60,\"spans\":\"17,30,60\",\"opened\":\"");
		}
	}

}
