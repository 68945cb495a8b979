package io.github.isolation.kafka.lanes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The partition assignor of a lane consumer group {@code C.isolation.G}: while the group has a
 * member of the lane's own group, every partition goes to those members; only while it has none
 * do the stable instances' standby members get them. So the lane's records are processed by the
 * lane where it is live, and by stable from the lane's committed offsets as soon as Kafka's group
 * coordinator sees the last lane member leave (at once on a clean stop, after the session
 * timeout on a crash); no polling decides who is live.
 *
 * <p>Each member says what it is in its subscription's user data, the group name of
 * {@value #MEMBER_GROUP_CONFIG}. Partitions are spread round-robin over the chosen members in
 * member id order: the assignment is a pure function of the members and the topics.
 *
 * @since 0.1.0
 */
public class LaneAssignor implements ConsumerPartitionAssignor, Configurable {

	/** The name this assignor goes by in a group's protocol. */
	public static final String NAME = "isolation-lane";

	/** Consumer property: the isolation group of the member, {@code stable} for a standby. */
	public static final String MEMBER_GROUP_CONFIG = "isolation.lane.member-group";

	private String memberGroup = "stable";

	@Override
	public void configure(Map<String, ?> configs) {
		Object group = configs.get(MEMBER_GROUP_CONFIG);
		if (group != null) {
			this.memberGroup = group.toString();
		}
	}

	@Override
	public ByteBuffer subscriptionUserData(Set<String> topics) {
		return ByteBuffer.wrap(this.memberGroup.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
		Map<String, Subscription> subscriptions = groupSubscription.groupSubscription();
		Map<String, List<TopicPartition>> assigned = assign(subscriptions, (topic) -> {
			List<PartitionInfo> partitions = metadata.partitionsForTopic(topic);
			return (partitions != null) ? partitions.size() : 0;
		});
		Map<String, Assignment> assignments = new HashMap<>();
		assigned.forEach((member, partitions) -> assignments.put(member, new Assignment(partitions)));
		return new GroupAssignment(assignments);
	}

	/**
	 * The assignment as a pure function of the members' subscriptions and the topics' sizes.
	 * @param subscriptions each member's subscription, by member id
	 * @param partitionCount the number of partitions of a topic
	 * @return the partitions of each member, every member present
	 */
	static Map<String, List<TopicPartition>> assign(Map<String, Subscription> subscriptions,
			java.util.function.ToIntFunction<String> partitionCount) {
		Map<String, List<TopicPartition>> assigned = new HashMap<>();
		List<String> laneMembers = new ArrayList<>();
		List<String> standbyMembers = new ArrayList<>();
		subscriptions.forEach((member, subscription) -> {
			assigned.put(member, new ArrayList<>());
			(isStandby(subscription) ? standbyMembers : laneMembers).add(member);
		});
		List<String> chosen = laneMembers.isEmpty() ? standbyMembers : laneMembers;
		chosen.sort(Comparator.naturalOrder());
		Set<String> topics = new TreeSet<>();
		for (String member : chosen) {
			topics.addAll(subscriptions.get(member).topics());
		}
		int next = 0;
		for (String topic : topics) {
			int count = partitionCount.applyAsInt(topic);
			for (int partition = 0; partition < count; partition++) {
				// Round-robin over the members that subscribe to the topic.
				for (int tried = 0; tried < chosen.size(); tried++) {
					String member = chosen.get(next++ % chosen.size());
					if (subscriptions.get(member).topics().contains(topic)) {
						assigned.get(member).add(new TopicPartition(topic, partition));
						break;
					}
				}
			}
		}
		return assigned;
	}

	private static boolean isStandby(Subscription subscription) {
		ByteBuffer data = subscription.userData();
		if (data == null || !data.hasRemaining()) {
			// A member without this assignor's data is not a lane member: never let it take a lane's records.
			return true;
		}
		byte[] bytes = new byte[data.remaining()];
		data.duplicate().get(bytes);
		return "stable".equals(new String(bytes, StandardCharsets.UTF_8));
	}

	@Override
	public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
		// Nothing to remember: the next assignment is computed from the members alone.
	}

	@Override
	public String name() {
		return NAME;
	}

}
