package io.github.isolation.zookeeper.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.ZooKeeperTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code isolation lanes} against a real ZooKeeper, reading nodes written in the layout of the
 * lanes of {@code isolation-kafka}: {@code {root}/kafka/{S}/{C}/{T}/{G}/{partition}}, each name
 * URL-encoded, each partition's data the offsets at which the lane opened and closed, and a
 * {@code retiring} node beside the partitions while it is asked to close. The lane code's own writer
 * is tested with this command in {@code isolation-kafka}, which this module cannot depend on.
 */
class LanesCommandTests {

	private static TestingServer server;

	private CuratorFramework client;

	private BindingPaths paths;

	private String out;

	private String err;

	@BeforeAll
	static void startServer() throws Exception {
		server = ZooKeeperTestSupport.startServer();
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@BeforeEach
	void setUp() {
		this.client = ZooKeeperTestSupport.startClient(server.getConnectString());
		this.paths = ZooKeeperTestSupport.uniquePaths();
	}

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	@Test
	void shouldListEachLanePartitionWithItsStateOpeningOffsetAndCreationTime() throws Exception {
		openLane("notifications", "notifications", "order-placed", "feature-x", 0, 120L, 1, 95L);
		openLane("notifications", "notifications", "order-placed", "feature-cart", 0, 7L);
		openLane("billing", "billing/v2", "invoices", "feature-y", 2, 0L);

		assertThat(cli("lanes")).isZero();

		String createdAt = created("notifications", "notifications", "order-placed", "feature-x", 0);
		assertThat(this.out.lines()).hasSize(5);
		assertThat(this.out.lines().findFirst()).hasValueSatisfying((header) -> assertThat(header.split(" +"))
			.containsExactly("SERVICE", "CONSUMER_GROUP", "TOPIC", "GROUP", "PARTITION", "STATE", "OFFSET", "SPANS",
					"OPENED"));
		assertThat(this.out.lines().skip(1).map((line) -> List.of(line.split(" +")))).containsExactly(
				List.of("billing", "billing/v2", "invoices", "feature-y", "2", "open", "0", "0",
						created("billing", "billing/v2", "invoices", "feature-y", 2)),
				List.of("notifications", "notifications", "order-placed", "feature-cart", "0", "open", "7", "7",
						created("notifications", "notifications", "order-placed", "feature-cart", 0)),
				List.of("notifications", "notifications", "order-placed", "feature-x", "0", "open", "120", "120",
						createdAt),
				List.of("notifications", "notifications", "order-placed", "feature-x", "1", "open", "95", "95",
						created("notifications", "notifications", "order-placed", "feature-x", 1)));
		assertThat(this.err).isEmpty();
	}

	@Test
	void shouldShowWhereALaneClosedAndOpenedAgainAndWhetherItIsRetiring() throws Exception {
		openLane("notifications", "notifications", "order-placed", "feature-x", 0, "120 300", 1, "95 140 610", 2, "88");
		this.client.create()
			.forPath(lanePath("notifications", "notifications", "order-placed", "feature-x") + "/retiring");

		assertThat(cli("lanes", "--no-headers")).isZero();

		assertThat(this.out.lines().map((line) -> List.of(line.split(" +")).subList(4, 8))).containsExactly(
				List.of("0", "closed", "120", "120,300"), List.of("1", "retiring", "610", "95,140,610"),
				List.of("2", "retiring", "88", "88"));
		assertThat(this.err).isEmpty();
	}

	@Test
	void shouldListOnlyTheLanesOfOneServiceAsJson() throws Exception {
		openLane("notifications", "notifications", "order-placed", "feature-x", 0, 120L);
		openLane("billing", "billing", "invoices", "feature-y", 0, 3L);

		assertThat(cli("lanes", "--service", "NOTIFICATIONS", "--output", "json")).isZero();

		assertThat(this.out).isEqualTo("[{\"service\":\"notifications\",\"consumer_group\":\"notifications\","
				+ "\"topic\":\"order-placed\",\"group\":\"feature-x\",\"partition\":0,\"state\":\"open\",\"offset\":120,"
				+ "\"spans\":\"120\",\"opened\":\""
				+ created("notifications", "notifications", "order-placed", "feature-x", 0) + "\"}]\n");
		assertThat(this.err).isEmpty();
	}

	@Test
	void shouldPrintAnEmptyListingWhenNoLaneHasOpened() {
		assertThat(cli("lanes", "-o", "json")).isZero();
		assertThat(this.out).isEqualTo("[]\n");

		assertThat(cli("lanes", "--no-headers")).isZero();
		assertThat(this.out).isEmpty();
		assertThat(this.err).isEmpty();
	}

	@Test
	void shouldWarnOnStandardErrorAboutANodeThatHoldsNoSpansAndListTheRest() throws Exception {
		openLane("notifications", "notifications", "order-placed", "feature-x", 0, 120L);
		String bad = lanePath("notifications", "notifications", "order-placed", "feature-x") + "/1";
		this.client.create().forPath(bad, "soon".getBytes(StandardCharsets.UTF_8));

		assertThat(cli("lanes", "--output", "json", "--no-headers")).isZero();

		assertThat(this.out).startsWith("[{\"service\":\"notifications\"").contains("\"partition\":0,\"state\":\"open\",\"offset\":120");
		assertThat(this.out).doesNotContain("\"partition\":1");
		assertThat(this.err).isEqualTo("warning: node '" + bad + "' holds no lane spans (its name must be a "
				+ "partition and its data offsets separated by spaces); listeners ignore it\n");
	}

	@Test
	void shouldRejectAMalformedServiceWithOneLineAndExitCodeTwo() {
		assertThat(cli("lanes", "--service", "no/such")).isEqualTo(IsolationCli.EXIT_USAGE);
		assertThat(this.out).isEmpty();
		assertThat(this.err).startsWith("error: service id must be 1 to 128 characters");
		assertThat(this.err.lines()).hasSize(1);
	}

	private void openLane(String service, String consumerGroup, String topic, String group, Object... partitionOffsets)
			throws Exception {
		String lanePath = lanePath(service, consumerGroup, topic, group);
		this.client.create().creatingParentContainersIfNeeded().forPath(lanePath);
		for (int i = 0; i < partitionOffsets.length; i += 2) {
			this.client.create()
				.forPath(lanePath + "/" + partitionOffsets[i],
						partitionOffsets[i + 1].toString().getBytes(StandardCharsets.UTF_8));
		}
	}

	private String created(String service, String consumerGroup, String topic, String group, int partition)
			throws Exception {
		Stat stat = this.client.checkExists().forPath(lanePath(service, consumerGroup, topic, group) + "/" + partition);
		return Instant.ofEpochMilli(stat.getCtime()).toString();
	}

	private String lanePath(String service, String consumerGroup, String topic, String group) {
		return this.paths.root() + "/kafka/" + encode(service) + "/" + encode(consumerGroup) + "/" + encode(topic) + "/"
				+ encode(group);
	}

	private static String encode(String name) {
		return URLEncoder.encode(name, StandardCharsets.UTF_8);
	}

	private int cli(String... command) {
		List<String> args = new ArrayList<>(List.of("--connect", server.getConnectString(), "--root", this.paths.root()));
		args.addAll(List.of(command));
		ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
		ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
		int exitCode = IsolationCli.run(args.toArray(String[]::new), new PrintStream(outBytes, true, StandardCharsets.UTF_8),
				new PrintStream(errBytes, true, StandardCharsets.UTF_8), Map.of());
		this.out = outBytes.toString(StandardCharsets.UTF_8);
		this.err = errBytes.toString(StandardCharsets.UTF_8);
		return exitCode;
	}

}
