package io.github.isolation.kafka.lanes;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.isolation.core.LaneSpans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a lane opens, retires, closes and opens again in a real ZooKeeper: each step as one
 * transaction checked against what it read, so that a closing and an opening again cannot both
 * take effect on what the other changed. No broker: the offsets are given.
 */
class LaneWatermarksTests {

	private static final String C = "notifications";

	private static final String T = "order-placed";

	private static final String G = "feature-x";

	private TestingServer server;

	private CuratorFramework client;

	private LaneWatermarks watermarks;

	@BeforeEach
	void start() throws Exception {
		this.server = new TestingServer();
		this.client = CuratorFrameworkFactory.newClient(this.server.getConnectString(), new RetryOneTime(100));
		this.client.start();
		this.watermarks = new LaneWatermarks(this.client, "/isolation", "notifications");
		this.watermarks.start();
	}

	@AfterEach
	void stop() throws Exception {
		this.watermarks.close();
		this.client.close();
		this.server.close();
	}

	@Test
	void shouldOpenALaneOnceAtTheOffsetsOfWhoeverOpensItFirst() throws Exception {
		assertThat(this.watermarks.open(C, T, G, () -> Map.of(0, 5L, 1, 7L)))
			.containsExactly(Map.entry(0, LaneSpans.openedAt(5)), Map.entry(1, LaneSpans.openedAt(7)));

		assertThat(this.watermarks.openOrRead(C, T, G, () -> Map.of(0, 50L, 1, 70L)))
			.containsExactly(Map.entry(0, LaneSpans.openedAt(5)), Map.entry(1, LaneSpans.openedAt(7)));
		assertThat(this.watermarks.open(C, T, G, () -> Map.of(0, 50L, 1, 70L)))
			.as("open everywhere: nothing to open again")
			.containsExactly(Map.entry(0, LaneSpans.openedAt(5)), Map.entry(1, LaneSpans.openedAt(7)));
	}

	@Test
	void shouldCloseALaneOnlyWhileItIsAskedToRetire() throws Exception {
		this.watermarks.open(C, T, G, () -> Map.of(0, 5L));

		assertThat(this.watermarks.closeAt(C, T, G, 0, 9)).as("not asked").isEqualTo(LaneSpans.openedAt(5));

		this.watermarks.retire(C, T, G);
		assertThat(this.watermarks.closeAt(C, T, G, 0, 9)).isEqualTo(LaneSpans.parse("5 9"));
		assertThat(this.watermarks.closeAt(C, T, G, 0, 12)).as("closed already").isEqualTo(LaneSpans.parse("5 9"));
		assertThat(data("0")).isEqualTo("5 9");
	}

	@Test
	void shouldOpenAgainWhereItClosedAndTakeTheRequestBack() throws Exception {
		this.watermarks.open(C, T, G, () -> Map.of(0, 5L, 1, 7L));
		this.watermarks.retire(C, T, G);
		this.watermarks.closeAt(C, T, G, 0, 10);

		assertThat(this.watermarks.openOrRead(C, T, G, () -> Map.of(0, 20L, 1, 30L)))
			.as("a standby never opens it again")
			.containsEntry(0, LaneSpans.parse("5 10"));
		assertThat(this.watermarks.open(C, T, G, () -> Map.of(0, 20L, 1, 30L)))
			.containsExactly(Map.entry(0, LaneSpans.parse("5 10 20")), Map.entry(1, LaneSpans.openedAt(7)));
		assertThat(this.client.checkExists().forPath("/isolation/kafka/notifications/notifications/order-placed"
				+ "/feature-x/retiring")).isNull();
		assertThat(this.watermarks.closeAt(C, T, G, 1, 40)).as("the request is gone").isEqualTo(LaneSpans.openedAt(7));
		await().untilAsserted(() -> assertThat(this.watermarks.isRetiring(C, T, G)).isFalse());
		assertThat(this.watermarks.openLanes(C, T)).containsExactly(G);
	}

	@Test
	void shouldTellRetiringAndClosedLanesFromWhatZookeeperSays() throws Exception {
		this.watermarks.open(C, T, G, () -> Map.of(0, 5L));
		this.watermarks.retire(C, T, G);

		await().untilAsserted(() -> assertThat(this.watermarks.retiringFor(C, T, G)).isNotNull());
		this.watermarks.closeAt(C, T, G, 0, 6);
		await().untilAsserted(() -> assertThat(this.watermarks.openLanes(C, T)).isEmpty());
		assertThat(this.watermarks.lanes(C, T)).containsExactly(G);
	}

	@Test
	void shouldIgnoreANodeThatHoldsNoSpans() throws Exception {
		this.watermarks.open(C, T, G, () -> Map.of(0, 5L));
		this.client.create()
			.forPath("/isolation/kafka/notifications/notifications/order-placed/feature-x/1",
					"soon".getBytes(StandardCharsets.UTF_8));

		assertThat(this.watermarks.open(C, T, G, () -> Map.of(0, 50L, 1, 70L)))
			.containsExactly(Map.entry(0, LaneSpans.openedAt(5)));
	}

	private String data(String partition) throws Exception {
		return new String(this.client.getData()
			.forPath("/isolation/kafka/notifications/notifications/order-placed/feature-x/" + partition),
				StandardCharsets.UTF_8);
	}

}
