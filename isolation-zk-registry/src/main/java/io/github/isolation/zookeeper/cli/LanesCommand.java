package io.github.isolation.zookeeper.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.github.isolation.core.LaneSpans;
import io.github.isolation.core.LogSafe;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.DigestCredentials;

/**
 * {@code isolation lanes}: the Kafka lanes that have opened, one row per partition, read from
 * {@code {root}/kafka/{S}/{C}/{T}/{G}/{partition}} where the lanes of {@code isolation-kafka}
 * record them. Each row names the service, the listener's consumer group, the topic, the
 * lane's group, the partition, the lane's state there ({@code open}, {@code retiring} while
 * stable has been asked to close it, {@code closed}), the offset at which it opened last
 * (records of the group below it went to stable consumers, at or above it to the lane), all
 * the offsets at which it opened and closed, and when the node was created. Names are shown
 * decoded, as the listener knows them. A node that holds no spans is reported on standard error,
 * so that JSON output stays parseable.
 */
@Command(name = "lanes", description = "List the Kafka lanes that have opened, their state and where they opened and closed.")
final class LanesCommand extends ZooKeeperCommand {

	@Option(names = "--service", paramLabel = "SERVICE", converter = Converters.ServiceId.class,
			description = "only this service's lanes")
	private String service;

	@Mixin
	private OutputOption output;

	@Override
	int run(CuratorFramework client, DigestCredentials credentials) throws Exception {
		String kafkaPath = kafkaPath(root().paths().root());
		List<LanePartition> partitions = new ArrayList<>();
		List<String> invalid = new ArrayList<>();
		for (String service : children(client, kafkaPath)) {
			if (this.service != null && !this.service.equalsIgnoreCase(decode(service))) {
				continue;
			}
			String servicePath = kafkaPath + "/" + service;
			for (String consumerGroup : children(client, servicePath)) {
				String consumerGroupPath = servicePath + "/" + consumerGroup;
				for (String topic : children(client, consumerGroupPath)) {
					String topicPath = consumerGroupPath + "/" + topic;
					for (String group : children(client, topicPath)) {
						String lanePath = topicPath + "/" + group;
						List<String> partitionNodes = children(client, lanePath);
						boolean retiring = partitionNodes.contains(BindingPaths.KAFKA_LANE_RETIRING);
						for (String partition : partitionNodes) {
							if (BindingPaths.KAFKA_LANE_RETIRING.equals(partition)) {
								continue;
							}
							String path = lanePath + "/" + partition;
							LanePartition read = read(client, path, decode(service), decode(consumerGroup),
									decode(topic), decode(group), partition, retiring);
							if (read != null) {
								partitions.add(read);
							}
							else if (client.checkExists().forPath(path) != null) {
								invalid.add(path);
							}
						}
					}
				}
			}
		}
		partitions.sort(LanePartition.ORDER);
		Listing listing = new Listing("SERVICE", "CONSUMER_GROUP", "TOPIC", "GROUP", "PARTITION", "STATE", "OFFSET",
				"SPANS", "OPENED");
		for (LanePartition lane : partitions) {
			listing.row(lane.service(), lane.consumerGroup(), lane.topic(), lane.group(), lane.partition(),
					lane.state(), lane.spans().lastOpening(), lane.spans().toString().replace(' ', ','),
					lane.opened().toString());
		}
		listing.print(out(), this.output.format, root().headers());
		for (String path : invalid) {
			this.spec.commandLine()
				.getErr()
				.println("warning: node " + LogSafe.quote(path) + " holds no lane spans (its name must be a "
						+ "partition and its data offsets separated by spaces); listeners ignore it");
		}
		return IsolationCli.EXIT_OK;
	}

	private static String kafkaPath(String root) {
		return ("/".equals(root) ? "" : root) + "/" + BindingPaths.KAFKA;
	}

	private static LanePartition read(CuratorFramework client, String path, String service, String consumerGroup,
			String topic, String group, String partition, boolean retiring) throws Exception {
		Stat stat = new Stat();
		byte[] data;
		try {
			data = client.getData().storingStatIn(stat).forPath(path);
		}
		catch (KeeperException.NoNodeException ex) {
			// Removed while we read: not a lane any more.
			return null;
		}
		try {
			LaneSpans spans = LaneSpans.parse(new String((data != null) ? data : new byte[0], StandardCharsets.UTF_8));
			String state = !spans.isOpen() ? "closed" : retiring ? "retiring" : "open";
			return new LanePartition(service, consumerGroup, topic, group, Integer.parseInt(partition), state, spans,
					Instant.ofEpochMilli(stat.getCtime()));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static List<String> children(CuratorFramework client, String path) throws Exception {
		try {
			return client.getChildren().forPath(path);
		}
		catch (KeeperException.NoNodeException ex) {
			// No lane has opened here yet (or it went while we read): nothing to list.
			return List.of();
		}
	}

	// The lane code URL-encodes each name, since a consumer group id or a topic may hold '/'.
	private static String decode(String segment) {
		return URLDecoder.decode(segment, StandardCharsets.UTF_8);
	}

	private record LanePartition(String service, String consumerGroup, String topic, String group, int partition,
			String state, LaneSpans spans, Instant opened) {

		static final Comparator<LanePartition> ORDER = Comparator.comparing(LanePartition::service)
			.thenComparing(LanePartition::consumerGroup)
			.thenComparing(LanePartition::topic)
			.thenComparing(LanePartition::group)
			.thenComparingInt(LanePartition::partition);

	}

}
