package io.github.isolation.benchmarks.kafka;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.zookeeper.Watcher;

import io.github.isolation.benchmarks.Stats;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * What lanes cost a stable instance's listener: its throughput on records pre-filled in a
 * topic of three partitions, with {@code isolation.kafka.lanes.enabled=true} and 0, 1 and 10
 * lanes open (each lane's feature instance live, so the stable instance stands by in each lane
 * group with one consumer that holds no partition), against the same application with
 * {@code isolation.kafka.enabled=false} (the module on the class path but switched off: no
 * producer or record interceptor, no lanes), all in one run, on spring-kafka-test's embedded
 * KRaft broker and a Curator {@code TestingServer} in this JVM.
 *
 * <p>Each round and configuration gets a topic of its own, pre-filled with {@code records}
 * untagged records before the stable instance starts; the throughput is the records divided
 * by the time from the first record processed to the last, so the group join is left out. The
 * configurations run in a different order each round, so that a slow moment of the shared
 * machine does not always fall on the same one.
 *
 * <p>Usage: {@code LaneCost [records=20000] [rounds=3] [warmups=1] [lanes=0,1,10]}; warm-up rounds
 * run every configuration once and are not counted.
 */
public final class LaneCost {

	private static final String SERVICE = "lane-cost";

	private static final Duration WAIT = Duration.ofMinutes(3);

	private LaneCost() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			String[] pair = arg.split("=", 2);
			options.put(pair[0], pair[1]);
		}
		int records = Integer.parseInt(options.getOrDefault("records", "20000"));
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
		int warmups = Integer.parseInt(options.getOrDefault("warmups", "1"));
		List<Integer> laneCounts = new ArrayList<>();
		for (String lanes : options.getOrDefault("lanes", "0,1,10").split(",")) {
			laneCounts.add(Integer.parseInt(lanes));
		}
		List<String> configurations = new ArrayList<>();
		configurations.add("baseline");
		laneCounts.forEach((lanes) -> configurations.add("lanes-" + lanes));

		Map<String, List<Double>> throughputs = new LinkedHashMap<>();
		configurations.forEach((configuration) -> throughputs.put(configuration, new ArrayList<>()));
		try (TestingServer zookeeper = new TestingServer(true);
				CuratorFramework client = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
						new RetryOneTime(100))) {
			client.start();
			EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
			broker.afterPropertiesSet();
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(
					Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
							ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 65536,
							// On a loaded machine the idempotent producer's retries failed out of order; one in flight keeps order.
							ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
							ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
					new StringSerializer(), new StringSerializer())) {
				Run run = new Run(broker, zookeeper, client, producer, records);
				// Warm-up rounds (negative) let the JIT compile the consumer's and the listener's paths first.
				for (int round = -warmups; round < rounds; round++) {
					for (int i = 0; i < configurations.size(); i++) {
						String configuration = configurations.get(Math.floorMod(i + round, configurations.size()));
						double throughput = run.measure(configuration, round + warmups);
						if (round >= 0) {
							throughputs.get(configuration).add(throughput);
						}
						System.out.printf(Locale.ROOT, "%s %d %-9s %,10.0f records/s%n", (round < 0) ? "warm-up" : "round",
								(round < 0) ? round + warmups + 1 : round + 1, configuration, throughput);
					}
				}
			}
			finally {
				broker.destroy();
			}
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "%,d untagged records over 3 partitions per measurement, %d rounds%n", records,
				rounds);
		System.out.println("| configuration | throughput median (min-max), records/s | median against baseline |");
		System.out.println("|---|---:|---:|");
		double baseline = median(throughputs.get("baseline"));
		for (Map.Entry<String, List<Double>> entry : throughputs.entrySet()) {
			List<Double> values = entry.getValue();
			double median = median(values);
			System.out.printf(Locale.ROOT, "| %s | %,.0f (%,.0f-%,.0f) | %.2f |%n", entry.getKey(), median,
					values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
					values.stream().mapToDouble(Double::doubleValue).max().orElse(0), median / baseline);
		}
		System.exit(0);
	}

	private static double median(List<Double> values) {
		return Stats.median(values.stream().mapToDouble(Double::doubleValue).toArray());
	}

	private record Run(EmbeddedKafkaKraftBroker broker, TestingServer zookeeper, CuratorFramework client,
			KafkaProducer<String, String> producer, int records) {

		double measure(String configuration, int round) throws Exception {
			String topic = "cost-" + configuration + "-" + round;
			createTopic(topic);
			List<ConfigurableApplicationContext> contexts = new ArrayList<>();
			try {
				boolean lanesOn = !configuration.equals("baseline");
				int lanes = lanesOn ? Integer.parseInt(configuration.substring("lanes-".length())) : 0;
				for (int lane = 0; lane < lanes; lane++) {
					String group = "feature-" + lane;
					contexts.add(start("f" + lane, group, topic, true, 1));
					awaitLaneOpened(topic, group);
				}
				fill(topic);
				ConfigurableApplicationContext stable = start("s", null, topic, lanesOn, 3);
				contexts.add(stable);
				LaneCostApp.Listener listener = stable.getBean(LaneCostApp.Listener.class);
				if (!listener.done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
					throw new IllegalStateException(configuration + ": " + listener.processed.get() + " of "
							+ this.records + " records processed after " + WAIT);
				}
				return this.records * 1e9 / (listener.lastNanos - listener.firstNanos);
			}
			finally {
				for (int i = contexts.size() - 1; i >= 0; i--) {
					contexts.get(i).close();
				}
			}
		}

		private void createTopic(String topic) throws Exception {
			try (Admin admin = Admin.create(
					Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
				admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
				// A send to a partition whose leader is not elected yet is retried out of order: wait for the leaders.
				CountDownLatch led = new CountDownLatch(1);
				long deadline = System.nanoTime() + WAIT.toNanos();
				while (led.getCount() > 0) {
					boolean allLed = admin.describeTopics(List.of(topic))
						.allTopicNames()
						.get()
						.get(topic)
						.partitions()
						.stream()
						.allMatch((partition) -> partition.leader() != null && !partition.leader().isEmpty());
					if (allLed) {
						led.countDown();
					}
					else if (System.nanoTime() > deadline || led.await(50, TimeUnit.MILLISECONDS)) {
						throw new IllegalStateException("no leader for every partition of " + topic + " within " + WAIT);
					}
				}
			}
		}

		private void fill(String topic) throws Exception {
			List<Future<RecordMetadata>> sent = new ArrayList<>(this.records);
			for (int i = 0; i < this.records; i++) {
				sent.add(this.producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
			}
			for (int i = 0; i < this.records; i++) {
				awaitSent(topic, i, sent.get(i));
			}
		}

		// Right after a topic is created, the broker may not host a partition yet although the
		// controller names its leader: the send fails at once, and is sent again.
		private void awaitSent(String topic, int i, Future<RecordMetadata> future) throws Exception {
			for (int attempt = 1;; attempt++) {
				try {
					future.get();
					return;
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof UnknownTopicOrPartitionException) || attempt == 100) {
						throw ex;
					}
					future = this.producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
				}
			}
		}

		private void awaitLaneOpened(String topic, String group) throws Exception {
			String path = "/isolation/kafka/" + SERVICE + "/" + encode(topic) + "/" + encode(topic) + "/"
					+ encode(group);
			CountDownLatch created = new CountDownLatch(1);
			if (this.client.checkExists().usingWatcher((Watcher) (event) -> created.countDown()).forPath(path) == null
					&& !created.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("the lane of " + group + " did not open within " + WAIT);
			}
		}

		private ConfigurableApplicationContext start(String name, String group, String topic, boolean lanes,
				int concurrency) {
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("spring.application.name", SERVICE);
			properties.put("app.name", name);
			properties.put("app.topic", topic);
			properties.put("app.consumer-group", topic);
			properties.put("app.concurrency", concurrency);
			properties.put("app.expected", (group != null) ? 0 : this.records);
			properties.put("spring.main.banner-mode", "off");
			properties.put("logging.level.root", "warn");
			properties.put("spring.cloud.zookeeper.enabled", "false");
			properties.put("spring.kafka.bootstrap-servers", this.broker.getBrokersAsString());
			properties.put("spring.kafka.consumer.auto-offset-reset", "earliest");
			properties.put("isolation.zookeeper.connect-string", this.zookeeper.getConnectString());
			if (lanes) {
				properties.put("isolation.kafka.lanes.enabled", "true");
			}
			else {
				properties.put("isolation.kafka.enabled", "false");
			}
			if (group != null) {
				properties.put("isolation.group", group);
			}
			return new SpringApplicationBuilder(LaneCostApp.class).web(WebApplicationType.NONE)
				.properties(properties)
				.run();
		}

		private static String encode(String name) {
			return URLEncoder.encode(name, StandardCharsets.UTF_8);
		}

	}

}
