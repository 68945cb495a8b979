package io.github.isolation.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.github.isolation.autoconfigure.observation.IsolationEndpoint;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.LaneSpans;
import io.github.isolation.kafka.LaneApp.Processed;
import io.github.isolation.kafka.lanes.KafkaLanes;
import io.github.isolation.kafka.lanes.LaneWatermarks;
import io.github.isolation.testsupport.Bridge;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lanes against a real broker (an embedded KRaft broker) and a real ZooKeeper
 * ({@link TestingServer}): a consumer service {@value #SERVICE} with two stable instances, S1 and
 * S2, and one {@code feature-x} instance, F, each its own application context, each listening
 * with three consumers on a topic of three partitions. Every test has a topic and a listener
 * consumer group of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaLanesTests {

	private static final String SERVICE = "notifications";

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final Set<String> STABLE_APPS = Set.of("s1", "s2");

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private EmbeddedKafkaKraftBroker broker;

	private TestingServer zookeeper;

	private KafkaProducer<String, String> producer;

	@BeforeAll
	void startBrokerAndZookeeper() throws Exception {
		this.zookeeper = new TestingServer(true);
		this.broker = new EmbeddedKafkaKraftBroker(1, 3);
		this.broker.afterPropertiesSet();
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.broker.getBrokersAsString(), ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
				new StringSerializer());
	}

	@AfterAll
	void stop() throws Exception {
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
		if (this.producer != null) {
			this.producer.close();
		}
		if (this.broker != null) {
			this.broker.destroy();
		}
		if (this.zookeeper != null) {
			this.zookeeper.close();
		}
	}

	@Test
	void shouldProcessEachRecordInTheLaneTheRuleNames() throws Exception {
		String topic = newTopic("mixed");
		ConfigurableApplicationContext s1 = start("s1", null, topic);
		ConfigurableApplicationContext s2 = start("s2", null, topic);
		ConfigurableApplicationContext f = start("f", "feature-x", topic);
		awaitLaneLive(topic, () -> assignedPartitions(f), s1, s2);

		// 10,000 records: untagged, feature-x, feature-y (no consumer), and feature-y fail-fast for this service.
		Map<String, String> groupOf = new LinkedHashMap<>();
		Set<String> failFast = new java.util.HashSet<>();
		List<Future<RecordMetadata>> sent = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			String key = topic + "-" + i;
			String group = switch (i % 4) {
				case 0, 3 -> null;
				case 1 -> "feature-x";
				default -> "feature-y";
			};
			boolean failing = i % 40 == 2;
			groupOf.put(key, group);
			if (failing) {
				failFast.add(key);
			}
			sent.add(send(topic, key, group, failing ? SERVICE : null));
		}
		for (Future<RecordMetadata> future : sent) {
			future.get();
		}

		await().atMost(WAIT).until(() -> processedKeys(topic).size() + failedKeys(topic).size() == 10_000);
		Map<String, List<Processed>> byKey = byKey(topic);
		assertThat(byKey.keySet()).as("every record processed, or given up on as fail-fast")
			.hasSize(10_000 - failFast.size())
			.doesNotContainAnyElementsOf(failFast);
		assertThat(failedKeys(topic)).containsExactlyInAnyOrderElementsOf(failFast);
		assertThat(LaneApp.FAILED.get(failFast.iterator().next())).startsWith("RecordRoutingException: Record " + topic)
			.contains("of isolation group 'feature-y' is not processed: '" + SERVICE + "' has no live consumer in"
					+ " 'feature-y' and is in the record's isolation-fail-fast list");
		byKey.forEach((key, processings) -> {
			String expected = "feature-x".equals(groupOf.get(key)) ? "f" : "stable";
			assertThat(processings).as("processings of %s, tagged %s", key, groupOf.get(key))
				.allSatisfy((p) -> assertThat(STABLE_APPS.contains(p.app()) ? "stable" : p.app()).isEqualTo(expected));
		});
		long duplicates = duplicates(byKey);
		System.out.println("[lanes] 10,000 mixed records: duplicates=" + duplicates + ", overlaps counted="
				+ overlaps(s1, s2));
		// The lane was open and known to every instance before the first record was sent: no hand-over.
		assertThat(duplicates).isZero();
		assertThat(decisions(f, "own-group")).isEqualTo(2500);
		assertThat(decisions(s1, "fail-fast") + decisions(s2, "fail-fast")).isEqualTo(failFast.size());
	}

	@Test
	void shouldHandALanesRecordsToStableWhenItsInstanceStopsAndBackWhenItReturns() throws Exception {
		String topic = newTopic("handover");
		ConfigurableApplicationContext s1 = start("s1", null, topic);
		ConfigurableApplicationContext s2 = start("s2", null, topic);
		ConfigurableApplicationContext f = start("f", "feature-x", topic);
		awaitLaneLive(topic, () -> assignedPartitions(f), s1, s2);

		List<String> before = sendAll(topic, "a", 1000, "feature-x");
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(before));

		// F stops while feature-x records flow.
		CompletableFuture<List<String>> during = CompletableFuture.supplyAsync(() -> sendAll(topic, "b", 3000, "feature-x"));
		f.close();
		List<String> whileStopping = during.get();
		List<String> after = sendAll(topic, "c", 1000, "feature-x");
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(after) && processedKeys(topic).containsAll(whileStopping));

		// F returns.
		ConfigurableApplicationContext f2 = start("f2", "feature-x", topic);
		await().atMost(WAIT).until(() -> assignedPartitions(f2) == 3);
		List<String> returned = sendAll(topic, "d", 1000, "feature-x");
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(returned));

		Map<String, List<Processed>> byKey = byKey(topic);
		assertThat(byKey).as("none lost").hasSize(6000);
		assertThat(before).allSatisfy((key) -> assertThat(appsOf(byKey, key)).containsOnly("f"));
		assertThat(after).allSatisfy((key) -> assertThat(appsOf(byKey, key)).isSubsetOf(STABLE_APPS));
		assertThat(whileStopping).allSatisfy((key) -> assertThat(appsOf(byKey, key)).isSubsetOf(Set.of("f", "s1", "s2")));
		assertThat(returned).allSatisfy((key) -> assertThat(appsOf(byKey, key)).containsOnly("f2"));
		long duplicates = duplicates(byKey);
		long stoppingByStable = whileStopping.stream()
			.filter((key) -> appsOf(byKey, key).stream().anyMatch(STABLE_APPS::contains))
			.count();
		System.out.println("[lanes] hand-over: " + stoppingByStable + " of 3000 records sent while F stopped went to"
				+ " stable; duplicates=" + duplicates);
		// A clean stop commits what F processed: the next owner starts where it stopped.
		assertThat(duplicates).isZero();
	}

	@Test
	void shouldCountEveryRecordThatStableAndALaneOpeningWhileRecordsFlowBothProcess() throws Exception {
		String topic = newTopic("opening");
		ConfigurableApplicationContext s1 = start("s1", null, topic);
		ConfigurableApplicationContext s2 = start("s2", null, topic);
		await().atMost(WAIT).until(() -> assignedPartitions(s1) + assignedPartitions(s2) == 3);

		// feature-x records flow, in batches, while F starts and opens its lane.
		java.util.concurrent.atomic.AtomicBoolean flowing = new java.util.concurrent.atomic.AtomicBoolean(true);
		java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
		CompletableFuture<List<String>> flow = CompletableFuture.supplyAsync(() -> {
			List<String> keys = new ArrayList<>();
			while (flowing.get()) {
				keys.addAll(sendAll(topic, "flow" + batches.getAndIncrement() + "-", 50, "feature-x"));
			}
			return keys;
		});
		await().atMost(WAIT).until(() -> batches.get() >= 10);
		ConfigurableApplicationContext f = start("f", "feature-x", topic);
		for (ConfigurableApplicationContext context : List.of(s1, s2)) {
			LaneWatermarks watermarks = context.getBean(LaneWatermarks.class);
			await().atMost(WAIT).until(() -> watermarks.openedAt(consumerGroup(topic), topic, "feature-x", 0) != null
					&& watermarks.openedAt(consumerGroup(topic), topic, "feature-x", 1) != null
					&& watermarks.openedAt(consumerGroup(topic), topic, "feature-x", 2) != null);
		}
		int opened = batches.get();
		await().atMost(WAIT).until(() -> batches.get() >= opened + 10);
		flowing.set(false);
		List<String> keys = new ArrayList<>(flow.get());
		// A last batch on every partition once every stable instance knows the lane: each counts what it overlapped.
		keys.addAll(sendAll(topic, "tail", 30, "feature-x"));
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(keys));

		LaneWatermarks watermarks = s1.getBean(LaneWatermarks.class);
		Map<String, List<Processed>> byKey = byKey(topic);
		assertThat(byKey).as("none lost").hasSize(keys.size());
		long overlapping = 0;
		for (List<Processed> processings : byKey.values()) {
			Processed first = processings.get(0);
			long openedAt = watermarks.openedAt(consumerGroup(topic), topic, "feature-x", first.partition());
			Set<String> apps = processings.stream().map(Processed::app).collect(Collectors.toSet());
			if (first.offset() < openedAt) {
				assertThat(apps).as("below the lane's offset: stable").isSubsetOf(STABLE_APPS).hasSize(processings.size());
			}
			else {
				assertThat(apps).as("at or above the lane's offset: the lane, and stable only before it knew").contains("f");
				assertThat(processings.stream().filter((p) -> p.app().equals("f"))).hasSize(1);
				overlapping += processings.size() - 1;
			}
		}
		long counted = overlapping;
		System.out.println("[lanes] lane opened while " + keys.size() + " records flowed: processed by both stable and"
				+ " the lane=" + overlapping + ", counted=" + overlaps(s1, s2));
		await().atMost(WAIT).untilAsserted(() -> assertThat(overlaps(s1, s2)).isEqualTo((double) counted));
		assertThat(duplicates(byKey)).isEqualTo(overlapping);
	}

	@Test
	void shouldHandALanesRecordsToStableWhenItsInstanceIsKilledAndBackWhenItReturns() throws Exception {
		String topic = newTopic("crash");
		ConfigurableApplicationContext s1 = start("s1", null, topic);
		ConfigurableApplicationContext s2 = start("s2", null, topic);
		// F in a JVM of its own, killed below without a chance to commit or leave its groups. Its
		// session times out after 6 s (the broker's minimum) instead of the default 45 s.
		Process f = startProcess("f", "feature-x", topic, Map.of("spring.kafka.consumer.properties.session.timeout.ms", "6000",
				"spring.kafka.consumer.properties.heartbeat.interval.ms", "1000"));
		try {
			// A JVM of its own starts slowly on a busy machine: a longer wait for its first assignment.
			await().atMost(WAIT.multipliedBy(3)).until(() -> processAssignedPartitions(topic) == 3);
			awaitLaneLive(topic, () -> processAssignedPartitions(topic), s1, s2);

			// 5,000 feature-x records: F is killed while it works through the first 2,500, once it has
			// processed 1,000 of them; the other 2,500 are sent after the kill.
			List<String> beforeKill = sendAll(topic, "before", 2500, "feature-x");
			await().atMost(WAIT).until(() -> processedBy(topic, "f") >= 1000);
			f.destroyForcibly();
			assertThat(f.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			long killedAt = System.nanoTime();
			long processedByF = processedBy(topic, "f");
			Map<Integer, Long> committedByF = committedOffsets(KafkaLanes.laneGroupId(consumerGroup(topic), "feature-x"));
			List<String> afterKill = sendAll(topic, "after", 2500, "feature-x");
			await().atMost(WAIT).until(() -> processedBy(topic, "s1") + processedBy(topic, "s2") > 0);
			double takeOverSeconds = (System.nanoTime() - killedAt) / 1e9;
			List<String> flowed = new ArrayList<>(beforeKill);
			flowed.addAll(afterKill);
			await().atMost(WAIT.multipliedBy(3)).untilAsserted(() -> {
				Set<String> processed = processedKeys(topic);
				long missing = flowed.stream().filter((key) -> !processed.contains(key)).count();
				// On a busy machine this can take a while; if it never ends, say where the lane group stands.
				assertThat(missing).as(() -> "records not processed yet: "
						+ flowed.stream().filter((key) -> !processed.contains(key)).limit(10).map((key) -> key + " "
								+ LaneApp.FAILED.getOrDefault(key, "not failed")).toList()
						+ ", lane group offsets " + describeLaneGroup(topic))
					.isZero();
			});

			// F returns, in this JVM, and takes its lane back.
			ConfigurableApplicationContext f2 = start("f2", "feature-x", topic);
			await().atMost(WAIT).until(() -> assignedPartitions(f2) == 3);
			List<String> returned = sendAll(topic, "back", 1000, "feature-x");
			await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(returned));

			Map<String, List<Processed>> byKey = byKey(topic);
			assertThat(byKey).as("none lost").hasSize(6000);
			assertThat(afterKill).allSatisfy((key) -> assertThat(appsOf(byKey, key)).isSubsetOf(STABLE_APPS));
			assertThat(returned).allSatisfy((key) -> assertThat(appsOf(byKey, key)).containsOnly("f2"));
			Map<Integer, Integer> duplicatesByPartition = new java.util.TreeMap<>();
			for (String key : beforeKill) {
				List<Processed> processings = byKey.get(key);
				Processed first = processings.get(0);
				Set<String> apps = processings.stream().map(Processed::app).collect(Collectors.toSet());
				boolean byF = apps.contains("f");
				boolean afterLastCommit = first.offset() >= committedByF.getOrDefault(first.partition(), 0L);
				if (byF && afterLastCommit) {
					// Processed by F after its last commit: stable resumes at that commit and processes it again.
					assertThat(processings).as("processings of %s", key).hasSize(2);
					assertThat(apps).as("processings of %s", key).hasSize(2);
					duplicatesByPartition.merge(first.partition(), 1, Integer::sum);
				}
				else {
					// Committed by F, or never reached by it: processed once.
					assertThat(processings).as("processings of %s", key).hasSize(1);
				}
			}
			long duplicates = duplicates(byKey);
			System.out.printf("[lanes] F killed after processing %d of 2500 feature-x records: stable processed the"
					+ " lane's records %.1f s after the kill; duplicates=%d, per partition %s%n", processedByF,
					takeOverSeconds, duplicates, duplicatesByPartition);
			assertThat(duplicates).isEqualTo(duplicatesByPartition.values().stream().mapToInt(Integer::intValue).sum());
			// The documented bound: at most one poll's records (max.poll.records, 500) per partition.
			assertThat(duplicatesByPartition.values()).allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(500));
		}
		finally {
			f.destroyForcibly();
		}
	}

	@Test
	void shouldKeepRoutingByTheLastKnownLaneOffsetsWhileZookeeperIsDown() throws Exception {
		String topic = newTopic("zkdown");
		ConfigurableApplicationContext s1 = start("s1", null, topic);
		ConfigurableApplicationContext s2 = start("s2", null, topic);
		ConfigurableApplicationContext f = start("f", "feature-x", topic);
		awaitLaneLive(topic, () -> assignedPartitions(f), s1, s2);

		List<String> before = sendMixed(topic, "before", 300);
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(before));

		this.zookeeper.stop();
		List<String> whileDown = new ArrayList<>();
		try {
			// Records flow for 30 s with ZooKeeper down; each batch is processed before the next is sent.
			long downUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			int batch = 0;
			while (System.nanoTime() < downUntil) {
				List<String> keys = sendMixed(topic, "down" + batch++ + "-", 40);
				await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(keys));
				whileDown.addAll(keys);
			}
			for (ConfigurableApplicationContext context : List.of(s1, s2)) {
				assertThat(context.getBean(LaneWatermarks.class).openedAt(consumerGroup(topic), topic, "feature-x", 0))
					.as("the lane's offsets, kept while ZooKeeper is down").isNotNull();
			}
		}
		finally {
			this.zookeeper.restart();
		}
		List<String> after = sendMixed(topic, "after", 300);
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(after));

		Map<String, List<Processed>> byKey = byKey(topic);
		assertThat(byKey).as("none lost").hasSize(before.size() + whileDown.size() + after.size());
		LaneWatermarks watermarks = s1.getBean(LaneWatermarks.class);
		byKey.forEach((key, processings) -> {
			Processed first = processings.get(0);
			Set<String> apps = processings.stream().map(Processed::app).collect(Collectors.toSet());
			if (first.group() == null) {
				assertThat(apps).as("processings of untagged %s", key).isSubsetOf(STABLE_APPS);
			}
			else {
				long openedAt = watermarks.openedAt(consumerGroup(topic), topic, "feature-x", first.partition());
				assertThat(first.offset()).as("sent after the lane opened").isGreaterThanOrEqualTo(openedAt);
				assertThat(apps).as("processings of %s, feature-x at or above the lane's offset", key).containsOnly("f");
			}
		});
		long duplicates = duplicates(byKey);
		System.out.println("[lanes] ZooKeeper down 30 s: " + whileDown.size() + " records processed while it was down, "
				+ byKey.size() + " in all; duplicates=" + duplicates);
		assertThat(duplicates).isZero();
	}

	/**
	 * The same rule for a batch listener ({@link BatchLaneApp}): each record of a batch is processed
	 * by the lane the rule names and in its own tag; a fail-fast record in the middle of a batch
	 * goes to the error handler and the records after it are processed all the same. Then F
	 * stops and the stable instances' standbys, which share the listener, take the lane's records.
	 */
	@Test
	void shouldGiveABatchListenerOnlyTheRecordsOfItsLaneEachInItsTag() throws Exception {
		String topic = newTopic("batch");
		ConfigurableApplicationContext s1 = start("s1", null, topic, BatchLaneApp.class);
		ConfigurableApplicationContext s2 = start("s2", null, topic, BatchLaneApp.class);
		ConfigurableApplicationContext f = start("f", "feature-x", topic, BatchLaneApp.class);
		awaitLaneLive(topic, () -> assignedPartitions(f), s1, s2);

		// Sent while every listener is paused, so that each poll after the pause takes a batch of
		// many records, fail-fast ones among them.
		List<MessageListenerContainer> containers = List.of(s1, s2, f).stream().map(KafkaLanesTests::listener).toList();
		containers.forEach(MessageListenerContainer::pause);
		await().atMost(WAIT).until(() -> containers.stream().allMatch(KafkaLanesTests::paused));
		Map<String, String> groupOf = new LinkedHashMap<>();
		Set<String> failFast = new java.util.HashSet<>();
		List<Future<RecordMetadata>> sent = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			String key = topic + "-" + i;
			String group = switch (i % 4) {
				case 0, 3 -> null;
				case 1 -> "feature-x";
				default -> "feature-y";
			};
			boolean failing = i % 40 == 2;
			groupOf.put(key, group);
			if (failing) {
				failFast.add(key);
			}
			sent.add(send(topic, key, group, failing ? SERVICE : null));
		}
		for (Future<RecordMetadata> future : sent) {
			future.get();
		}
		containers.forEach(MessageListenerContainer::resume);

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(processedKeys(topic).size() + failedKeys(topic).size())
				.as("records processed or given up on").isEqualTo(2000));
		Map<String, List<Processed>> byKey = byKey(topic);
		assertThat(byKey.keySet()).as("every record processed, or given up on as fail-fast")
			.hasSize(2000 - failFast.size())
			.doesNotContainAnyElementsOf(failFast);
		assertThat(failedKeys(topic)).containsExactlyInAnyOrderElementsOf(failFast);
		assertThat(LaneApp.FAILED.get(failFast.iterator().next())).startsWith("RecordRoutingException: Record " + topic)
			.contains("of isolation group 'feature-y' is not processed");
		byKey.forEach((key, processings) -> {
			String group = groupOf.get(key);
			String expected = "feature-x".equals(group) ? "f" : "stable";
			assertThat(processings).as("processings of %s, tagged %s", key, group)
				.allSatisfy((p) -> assertThat(STABLE_APPS.contains(p.app()) ? "stable" : p.app()).isEqualTo(expected))
				.allSatisfy((p) -> assertThat(p.group()).as("group current while processing it")
					.isEqualTo((group != null) ? group : "stable"));
		});
		assertThat(duplicates(byKey)).isZero();
		assertThat(decisions(f, "own-group")).isEqualTo(500);
		assertThat(decisions(s1, "fail-fast") + decisions(s2, "fail-fast")).isEqualTo(failFast.size());

		// F stops: the standbys, with the listener of their stable container, take the lane's records.
		f.close();
		List<String> afterStop = sendMixed(topic, "stopped", 300);
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(afterStop));
		Map<String, List<Processed>> after = byKey(topic);
		assertThat(afterStop).allSatisfy((key) -> assertThat(after.get(key)).as("processings of %s", key)
			.singleElement()
			.satisfies((p) -> assertThat(p.app()).isIn(STABLE_APPS)));
		assertThat(afterStop.stream().filter((key) -> "feature-x".equals(after.get(key).get(0).group())))
			.as("feature-x records, in their tag").hasSize(150);
	}

	// Every consumer that holds partitions has paused them (one that holds none never pauses).
	private static boolean paused(MessageListenerContainer container) {
		return ((org.springframework.kafka.listener.ConcurrentMessageListenerContainer<?, ?>) container).getContainers()
			.stream()
			.allMatch((child) -> child.getAssignedPartitions() == null || child.getAssignedPartitions().isEmpty()
					|| child.isContainerPaused());
	}

	private static MessageListenerContainer listener(ConfigurableApplicationContext context) {
		return context.getBean(KafkaListenerEndpointRegistry.class)
			.getListenerContainer(context.getEnvironment().getProperty("app.name") + "-listener");
	}

	@Test
	void shouldRetireALaneWhoseGroupHasNoLiveConsumerAndOpenItAgainWhenOneStarts() throws Exception {
		String topic = newTopic("retire");
		Map<String, String> retireSoon = Map.of("isolation.kafka.lanes.retire-after", "3s");
		ConfigurableApplicationContext s1 = start("s1", null, topic, retireSoon);
		ConfigurableApplicationContext s2 = start("s2", null, topic, retireSoon);
		ConfigurableApplicationContext f = start("f", "feature-x", topic);
		awaitLaneLive(topic, () -> assignedPartitions(f), s1, s2);
		List<String> before = sendAll(topic, "a", 300, "feature-x");
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(before));

		// F stops; untagged and feature-x records flow while its lane retires, and after.
		AtomicBoolean flowing = new AtomicBoolean(true);
		AtomicInteger batches = new AtomicInteger();
		CompletableFuture<List<String>> flow = CompletableFuture.supplyAsync(() -> {
			List<String> keys = new ArrayList<>();
			while (flowing.get()) {
				keys.addAll(sendMixed(topic, "flow" + batches.getAndIncrement() + "-", 40));
			}
			return keys;
		});
		long stoppedAt = System.nanoTime();
		f.close();
		await().atMost(WAIT).until(() -> standbys(s1).isEmpty() && standbys(s2).isEmpty());
		double retiredSeconds = (System.nanoTime() - stoppedAt) / 1e9;
		LaneWatermarks watermarks = s1.getBean(LaneWatermarks.class);
		assertThat(watermarks.lanes(consumerGroup(topic), topic)).containsExactly("feature-x");
		assertThat(watermarks.openLanes(consumerGroup(topic), topic)).as("closed on every partition").isEmpty();
		int retired = batches.get();
		await().atMost(WAIT).until(() -> batches.get() >= retired + 10);
		flowing.set(false);
		List<String> flowed = flow.get();
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(flowed));

		Map<String, List<Processed>> byKey = byKey(topic);
		long overlapping = 0;
		long afterClosing = 0;
		for (String key : flowed) {
			List<Processed> processings = byKey.get(key);
			Processed first = processings.get(0);
			Set<String> apps = processings.stream().map(Processed::app).collect(Collectors.toSet());
			if (first.group() == null) {
				assertThat(processings).as("processings of untagged %s", key).hasSize(1);
				assertThat(apps).as("processings of untagged %s", key).isSubsetOf(STABLE_APPS);
				continue;
			}
			LaneSpans spans = watermarks.spans(consumerGroup(topic), topic, "feature-x", first.partition());
			if (spans.contains(first.offset())) {
				// The lane's: F before it stopped, then the standbys up to the closing, once.
				assertThat(processings).as("processings of %s, inside the lane %s", key, spans).hasSize(1);
			}
			else {
				// From the closing on: stable, and a standby only if it learnt of the closing late.
				assertThat(apps).as("processings of %s, after the lane %s closed", key, spans).isSubsetOf(STABLE_APPS);
				overlapping += processings.size() - 1;
				afterClosing++;
			}
		}
		assertThat(afterClosing).as("feature-x records that stable took back").isPositive();
		long counted = overlapping;
		System.out.printf("[lanes] lane retired %.1f s after F stopped (retire-after 3 s) while %d records flowed;"
				+ " %d feature-x records went back to stable; processed by both a standby and stable=%d, counted=%.0f%n",
				retiredSeconds, flowed.size(), afterClosing, overlapping, overlaps(s1, s2));
		await().atMost(WAIT).untilAsserted(() -> assertThat(overlaps(s1, s2)).isEqualTo((double) counted));

		// A consumer of feature-x starts: the lane opens again, and its records go to it.
		ConfigurableApplicationContext f2 = start("f2", "feature-x", topic);
		awaitLaneLive(topic, () -> assignedPartitions(f2), s1, s2);
		for (ConfigurableApplicationContext context : List.of(s1, s2)) {
			LaneWatermarks known = context.getBean(LaneWatermarks.class);
			await().atMost(WAIT).until(() -> java.util.stream.IntStream.range(0, 3)
				.allMatch((partition) -> known.spans(consumerGroup(topic), topic, "feature-x", partition).isOpen()));
		}
		List<String> returned = sendMixed(topic, "back", 300);
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(returned));
		Map<String, List<Processed>> afterReturn = byKey(topic);
		assertThat(returned).allSatisfy((key) -> {
			List<Processed> processings = afterReturn.get(key);
			assertThat(processings).as("processings of %s", key).hasSize(1);
			assertThat(processings.get(0).app()).as("processing of %s", key)
				.isIn((processings.get(0).group() != null) ? Set.of("f2") : STABLE_APPS);
		});
	}

	@Test
	void shouldRetireALaneWhileNoRecordsFlow() throws Exception {
		String topic = newTopic("quiet");
		Map<String, String> retireSoon = Map.of("isolation.kafka.lanes.retire-after", "3s");
		ConfigurableApplicationContext s1 = start("s1", null, topic, retireSoon);
		ConfigurableApplicationContext s2 = start("s2", null, topic, retireSoon);
		ConfigurableApplicationContext f = start("f", "feature-x", topic);
		awaitLaneLive(topic, () -> assignedPartitions(f), s1, s2);
		List<String> before = sendAll(topic, "a", 90, "feature-x");
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(before));

		// F stops and nothing is sent: only the consumers' idle events find that the lane retires.
		f.close();
		await().atMost(WAIT).until(() -> standbys(s1).isEmpty() && standbys(s2).isEmpty());
		Map<Integer, Long> ends = endOffsets(topic);
		for (ConfigurableApplicationContext context : List.of(s1, s2)) {
			LaneWatermarks watermarks = context.getBean(LaneWatermarks.class);
			await().atMost(WAIT).untilAsserted(() -> ends.forEach((partition, end) -> assertThat(
					watermarks.spans(consumerGroup(topic), topic, "feature-x", partition))
				.as("partition %d, whose stable consumer stood at its end", partition)
				.isEqualTo(LaneSpans.openedAt(0).closedAt(end))));
		}
		List<String> after = sendAll(topic, "b", 90, "feature-x");
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(after));

		Map<String, List<Processed>> byKey = byKey(topic);
		assertThat(before).allSatisfy((key) -> assertThat(byKey.get(key)).singleElement()
			.satisfies((processed) -> assertThat(processed.app()).isEqualTo("f")));
		assertThat(after).allSatisfy((key) -> assertThat(byKey.get(key)).singleElement()
			.satisfies((processed) -> assertThat(processed.app()).isIn(STABLE_APPS)));
	}

	@Test
	void shouldKeepAFailFastRecordWaitingUntilAConsumerOfItsGroupStarts() throws Exception {
		String topic = newTopic("waiting");
		Map<String, String> wait = Map.of("isolation.kafka.lanes.fail-fast", "wait");
		ConfigurableApplicationContext s1 = start("s1", null, topic, wait);
		ConfigurableApplicationContext s2 = start("s2", null, topic, wait);
		await().atMost(WAIT).until(() -> assignedPartitions(s1) + assignedPartitions(s2) == 3);

		// No feature-x consumer and no feature-x lane: each third record is feature-x and fail-fast for this service.
		List<String> untagged = new ArrayList<>();
		List<String> failing = new ArrayList<>();
		List<Future<RecordMetadata>> sent = new ArrayList<>();
		for (int i = 0; i < 900; i++) {
			String key = topic + "-" + i;
			boolean failFast = i % 3 == 0;
			(failFast ? failing : untagged).add(key);
			sent.add(send(topic, key, failFast ? "feature-x" : null, failFast ? SERVICE : null));
		}
		for (Future<RecordMetadata> future : sent) {
			future.get();
		}
		// Stable processes the untagged records, and a standby holds the fail-fast ones in the lane group.
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(untagged));
		await().atMost(WAIT).until(() -> decisions(s1, "waiting") + decisions(s2, "waiting") > 0);
		assertThat(processedKeys(topic)).as("processed while no feature-x consumer runs").doesNotContainAnyElementsOf(failing);
		assertThat(failedKeys(topic)).as("given to the error handler").isEmpty();

		ConfigurableApplicationContext f = start("f", "feature-x", topic, wait);
		await().atMost(WAIT).until(() -> processedKeys(topic).containsAll(failing));

		Map<String, List<Processed>> byKey = byKey(topic);
		assertThat(byKey).as("none lost").hasSize(900);
		assertThat(failing).allSatisfy((key) -> assertThat(byKey.get(key)).as("processings of %s", key)
			.singleElement()
			.satisfies((processed) -> assertThat(processed.app()).isEqualTo("f")));
		assertThat(untagged).allSatisfy((key) -> assertThat(byKey.get(key)).as("processings of %s", key)
			.singleElement()
			.satisfies((processed) -> assertThat(processed.app()).isIn(STABLE_APPS)));
		assertThat(failedKeys(topic)).isEmpty();
		assertThat(decisions(f, "own-group")).isEqualTo(failing.size());
		System.out.println("[lanes] fail-fast=wait: " + failing.size() + " fail-fast records waited for F, attempts while"
				+ " waiting=" + (decisions(s1, "waiting") + decisions(s2, "waiting")));
	}

	private String newTopic(String name) throws Exception {
		String topic = name + "-" + System.nanoTime();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
			admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
		}
		return topic;
	}

	private List<String> sendAll(String topic, String batch, int count, String group) {
		List<String> keys = new ArrayList<>();
		List<Future<RecordMetadata>> sent = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String key = topic + "-" + batch + i;
			keys.add(key);
			sent.add(send(topic, key, group, null));
		}
		try {
			for (Future<RecordMetadata> future : sent) {
				future.get();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return keys;
	}

	private Future<RecordMetadata> send(String topic, String key, String group, String failFast) {
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, key);
		if (group != null) {
			record.headers().add(IsolationTags.GROUP, group.getBytes(StandardCharsets.UTF_8));
		}
		if (failFast != null) {
			record.headers().add(IsolationTags.FAIL_FAST, failFast.getBytes(StandardCharsets.UTF_8));
		}
		return this.producer.send(record);
	}

	@SuppressWarnings("deprecation")
	// The lane is open on every partition, every stable instance knows it and stands by, and F holds every partition.
	private void awaitLaneLive(String topic, java.util.function.IntSupplier assignedToF,
			ConfigurableApplicationContext... stable) {
		await().atMost(WAIT).until(() -> assignedToF.getAsInt() == 3);
		for (ConfigurableApplicationContext context : stable) {
			LaneWatermarks watermarks = context.getBean(LaneWatermarks.class);
			await().atMost(WAIT).until(() -> watermarks.openedAt(consumerGroup(topic), topic, "feature-x", 0) != null
					&& watermarks.openedAt(consumerGroup(topic), topic, "feature-x", 1) != null
					&& watermarks.openedAt(consumerGroup(topic), topic, "feature-x", 2) != null);
			// As the isolation endpoint shows it.
			IsolationEndpoint endpoint = context.getBean(IsolationEndpoint.class);
			await().atMost(WAIT)
				.until(() -> ((List<?>) ((Map<?, ?>) endpoint.isolation().get("kafkaLanes")).get("standbys")).size() == 1);
		}
		// The standbys joined the lane group: the group settles with F holding every partition again.
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
			String laneGroup = KafkaLanes.laneGroupId(consumerGroup(topic), "feature-x");
			await().atMost(WAIT).untilAsserted(() -> {
				var description = admin.describeConsumerGroups(List.of(laneGroup)).all().get().get(laneGroup);
				assertThat(description.members()).as(description.toString()).hasSize(3 + stable.length);
				assertThat(String.valueOf(description.state())).as(description.toString()).isEqualToIgnoringCase("stable");
				assertThat(description.members()).as(description.toString())
					.as("the standbys, whose client ids are the listener's: they hold nothing while F is live")
					.filteredOn((member) -> !member.clientId().startsWith("consumer-"))
					.allMatch((member) -> member.assignment().topicPartitions().isEmpty());
			});
		}
		await().atMost(WAIT).until(() -> assignedToF.getAsInt() == 3);
	}

	private Map<Integer, Long> endOffsets(String topic) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
			Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
			for (int partition = 0; partition < 3; partition++) {
				latest.put(new org.apache.kafka.common.TopicPartition(topic, partition),
						org.apache.kafka.clients.admin.OffsetSpec.latest());
			}
			Map<Integer, Long> ends = new java.util.TreeMap<>();
			admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
			return ends;
		}
	}

	private static List<?> standbys(ConfigurableApplicationContext context) {
		IsolationEndpoint endpoint = context.getBean(IsolationEndpoint.class);
		return (List<?>) ((Map<?, ?>) endpoint.isolation().get("kafkaLanes")).get("standbys");
	}

	private static int assignedPartitions(ConfigurableApplicationContext context) {
		MessageListenerContainer container = context.getBean(KafkaListenerEndpointRegistry.class)
			.getListenerContainer(context.getEnvironment().getProperty("app.name") + "-listener");
		return (container.getAssignedPartitions() != null) ? container.getAssignedPartitions().size() : 0;
	}

	private static String consumerGroup(String topic) {
		return "group-" + topic;
	}

	private static Set<String> processedKeys(String topic) {
		return LaneApp.processedOf(topic + "-").stream().map(Processed::key).collect(Collectors.toSet());
	}

	private static Set<String> failedKeys(String topic) {
		return LaneApp.FAILED.keySet().stream().filter((key) -> key.startsWith(topic + "-")).collect(Collectors.toSet());
	}

	private static Map<String, List<Processed>> byKey(String topic) {
		Map<String, List<Processed>> byKey = new HashMap<>();
		for (Processed processed : LaneApp.processedOf(topic + "-")) {
			byKey.computeIfAbsent(processed.key(), (k) -> new ArrayList<>()).add(processed);
		}
		return byKey;
	}

	private static Set<String> appsOf(Map<String, List<Processed>> byKey, String key) {
		return byKey.getOrDefault(key, List.of()).stream().map(Processed::app).collect(Collectors.toSet());
	}

	private static long duplicates(Map<String, List<Processed>> byKey) {
		return byKey.values().stream().mapToLong((list) -> list.size() - 1).sum();
	}

	private static double decisions(ConfigurableApplicationContext context, String outcome) {
		return context.getBean(MeterRegistry.class)
			.find(KafkaLanes.DECISIONS)
			.tag("outcome", outcome)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	private static double overlaps(ConfigurableApplicationContext... contexts) {
		double sum = 0;
		for (ConfigurableApplicationContext context : contexts) {
			sum += context.getBean(MeterRegistry.class).find(KafkaLanes.OVERLAPS).counters().stream()
				.mapToDouble((counter) -> counter.count()).sum();
		}
		return sum;
	}

	private List<String> sendMixed(String topic, String batch, int count) {
		List<String> keys = new ArrayList<>();
		List<Future<RecordMetadata>> sent = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String key = topic + "-" + batch + i;
			keys.add(key);
			sent.add(send(topic, key, (i % 2 == 0) ? "feature-x" : null, null));
		}
		try {
			for (Future<RecordMetadata> future : sent) {
				future.get();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return keys;
	}

	private String describeLaneGroup(String topic) {
		String laneGroup = KafkaLanes.laneGroupId(consumerGroup(topic), "feature-x");
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
			return committedOffsets(laneGroup) + " " + admin.describeConsumerGroups(List.of(laneGroup)).all().get().get(laneGroup)
					+ " end offsets " + admin.listOffsets(Map.of(new org.apache.kafka.common.TopicPartition(topic, 0),
							org.apache.kafka.clients.admin.OffsetSpec.latest(), new org.apache.kafka.common.TopicPartition(topic, 1),
							org.apache.kafka.clients.admin.OffsetSpec.latest(), new org.apache.kafka.common.TopicPartition(topic, 2),
							org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get();
		}
		catch (Exception ex) {
			return ex.toString();
		}
	}

	private static long processedBy(String topic, String app) {
		return LaneApp.processedOf(topic + "-").stream().filter((p) -> p.app().equals(app)).count();
	}

	private Map<Integer, Long> committedOffsets(String consumerGroup) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
			Map<Integer, Long> offsets = new HashMap<>();
			admin.listConsumerGroupOffsets(consumerGroup).partitionsToOffsetAndMetadata().get()
				.forEach((partition, offset) -> offsets.put(partition.partition(), offset.offset()));
			return offsets;
		}
	}

	// Partitions held in the lane group by the members that are not standbys (whose client ids are the listener's).
	private int processAssignedPartitions(String topic) {
		String laneGroup = KafkaLanes.laneGroupId(consumerGroup(topic), "feature-x");
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
			return admin.describeConsumerGroups(List.of(laneGroup)).all().get().get(laneGroup).members().stream()
				.filter((member) -> member.clientId().startsWith("consumer-"))
				.mapToInt((member) -> member.assignment().topicPartitions().size())
				.sum();
		}
		catch (Exception ex) {
			return 0;
		}
	}

	// The same application as start(), in a JVM of its own, whose reports go into LaneApp.PROCESSED.
	private Process startProcess(String name, String group, String topic, Map<String, String> more) throws Exception {
		List<String> command = new ArrayList<>(List.of(
				java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				LaneAppProcess.class.getName()));
		Map<String, Object> properties = properties(name, group, topic);
		properties.putAll(more);
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Thread reader = new Thread(() -> {
			try (var lines = new java.io.BufferedReader(
					new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					Processed processed = LaneAppProcess.parse(line);
					if (processed != null) {
						LaneApp.PROCESSED.add(processed);
					}
					else {
						System.out.println("[" + name + "] " + line);
					}
				}
			}
			catch (java.io.IOException ex) {
				// The process is gone: nothing more to read.
			}
		}, "lane-app-" + name);
		reader.setDaemon(true);
		reader.start();
		return process;
	}

	private ConfigurableApplicationContext start(String name, String group, String topic) {
		return start(name, group, topic, LaneApp.class);
	}

	private ConfigurableApplicationContext start(String name, String group, String topic, Class<?> application) {
		return start(name, group, topic, application, Map.of());
	}

	private ConfigurableApplicationContext start(String name, String group, String topic, Map<String, String> more) {
		return start(name, group, topic, LaneApp.class, more);
	}

	private ConfigurableApplicationContext start(String name, String group, String topic, Class<?> application,
			Map<String, String> more) {
		Map<String, Object> properties = properties(name, group, topic);
		properties.putAll(more);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private Map<String, Object> properties(String name, String group, String topic) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", SERVICE);
		properties.put("app.name", name);
		properties.put("app.topic", topic);
		properties.put("app.consumer-group", consumerGroup(topic));
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "warn");
		properties.put("logging.level.io.github.isolation.kafka.lanes", "info");
		// ZooKeeper goes down on purpose in one test: its clients log every reconnect attempt.
		properties.put("logging.level.org.apache.zookeeper", "error");
		properties.put("spring.autoconfigure.exclude", Bridge.BRAVE.otherBridgeAutoConfiguration());
		properties.put("spring.cloud.zookeeper.enabled", "false");
		properties.put("spring.kafka.bootstrap-servers", this.broker.getBrokersAsString());
		properties.put("spring.kafka.consumer.auto-offset-reset", "earliest");
		properties.put("isolation.zookeeper.connect-string", this.zookeeper.getConnectString());
		properties.put("isolation.kafka.lanes.enabled", "true");
		if (group != null) {
			properties.put("isolation.group", group);
		}
		return properties;
	}

}
