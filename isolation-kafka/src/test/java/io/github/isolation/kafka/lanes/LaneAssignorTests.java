package io.github.isolation.kafka.lanes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LaneAssignorTests {

	private static final String TOPIC = "orders";

	@Test
	void shouldGiveEveryPartitionToTheLaneMembersWhileThereAreAny() {
		Map<String, Subscription> members = new LinkedHashMap<>();
		members.put("standby-1", subscription("stable"));
		members.put("lane-1", subscription("feature-x"));
		members.put("standby-2", subscription("stable"));
		members.put("lane-2", subscription("feature-x"));

		Map<String, List<TopicPartition>> assigned = LaneAssignor.assign(members, (topic) -> 3);

		assertThat(assigned.get("standby-1")).isEmpty();
		assertThat(assigned.get("standby-2")).isEmpty();
		assertThat(assigned.get("lane-1")).containsExactly(partition(0), partition(2));
		assertThat(assigned.get("lane-2")).containsExactly(partition(1));
	}

	@Test
	void shouldGiveThePartitionsToTheStandbysWhenNoLaneMemberIsLeft() {
		Map<String, Subscription> members = new LinkedHashMap<>();
		members.put("standby-2", subscription("stable"));
		members.put("standby-1", subscription("stable"));

		Map<String, List<TopicPartition>> assigned = LaneAssignor.assign(members, (topic) -> 3);

		assertThat(assigned.get("standby-1")).containsExactly(partition(0), partition(2));
		assertThat(assigned.get("standby-2")).containsExactly(partition(1));
	}

	@Test
	void shouldTreatAMemberThatDoesNotSayWhatItIsAsAStandby() {
		Map<String, Subscription> members = new LinkedHashMap<>();
		members.put("unknown", new Subscription(List.of(TOPIC)));
		members.put("lane-1", subscription("feature-x"));

		Map<String, List<TopicPartition>> assigned = LaneAssignor.assign(members, (topic) -> 2);

		assertThat(assigned.get("unknown")).isEmpty();
		assertThat(assigned.get("lane-1")).containsExactly(partition(0), partition(1));
	}

	@Test
	void shouldSayInItsSubscriptionWhichGroupTheMemberIsIn() {
		LaneAssignor assignor = new LaneAssignor();
		assignor.configure(Map.of(LaneAssignor.MEMBER_GROUP_CONFIG, "feature-x"));

		ByteBuffer data = assignor.subscriptionUserData(java.util.Set.of(TOPIC));

		assertThat(StandardCharsets.UTF_8.decode(data).toString()).isEqualTo("feature-x");
	}

	private static Subscription subscription(String group) {
		return new Subscription(List.of(TOPIC), ByteBuffer.wrap(group.getBytes(StandardCharsets.UTF_8)));
	}

	private static TopicPartition partition(int partition) {
		return new TopicPartition(TOPIC, partition);
	}

}
