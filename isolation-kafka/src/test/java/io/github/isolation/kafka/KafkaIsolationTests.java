package io.github.isolation.kafka;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.ReceivedTags;
import io.github.isolation.core.W3cBaggage;
import io.github.isolation.testsupport.Bridge;
import io.github.isolation.testsupport.Fuzz;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real applications on a real broker (an embedded KRaft broker) and real HTTP on loopback: the
 * service {@code next} in stable and in {@code feature-x}, and two instances of a service that
 * sends and consumes records: {@code stable} (Kafka observation off) and {@code feature}
 * ({@code isolation.group=feature-x}, Kafka observation on). Each listens on its own consumer
 * group, so both process every record sent to {@value KafkaApp#IN}. Subclasses choose the
 * tracing bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KafkaIsolationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final Bridge bridge;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final HttpClient http = HttpClient.newHttpClient();

	// Every record of the out topic seen so far, by key.
	private final Map<String, ConsumerRecord<String, String>> out = new ConcurrentHashMap<>();

	private EmbeddedKafkaKraftBroker broker;

	private KafkaConsumer<String, String> outConsumer;

	private ConfigurableApplicationContext stable;

	private ConfigurableApplicationContext feature;

	private ConfigurableApplicationContext observed;

	KafkaIsolationTests(Bridge bridge) {
		this.bridge = bridge;
	}

	@BeforeAll
	void startBrokerAndApplications() {
		this.broker = new EmbeddedKafkaKraftBroker(1, 1, KafkaApp.IN, KafkaApp.OUT, KafkaApp.BATCH_IN);
		this.broker.afterPropertiesSet();
		ConfigurableApplicationContext nextStable = start(KafkaApp.NextApp.class, "next", null);
		ConfigurableApplicationContext nextFeature = start(KafkaApp.NextApp.class, "next", "feature-x");
		String[] discovery = { "spring.cloud.discovery.client.simple.instances.next[0].uri=" + uri(nextStable),
				"spring.cloud.discovery.client.simple.instances.next[1].uri=" + uri(nextFeature),
				"spring.cloud.discovery.client.simple.instances.next[1].metadata.isolation-group=feature-x" };
		this.stable = start(KafkaApp.class, "orders", null, concat(discovery, "app.name=stable"));
		this.feature = start(KafkaApp.class, "orders", "feature-x", concat(discovery, "app.name=feature",
				"spring.kafka.listener.observation-enabled=true", "spring.kafka.template.observation-enabled=true"));
		this.observed = start(KafkaApp.class, "orders", null, concat(discovery, "app.name=observed",
				"spring.kafka.listener.observation-enabled=true", "spring.kafka.template.observation-enabled=true"));
		this.outConsumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.broker.getBrokersAsString(), ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
		this.outConsumer.subscribe(List.of(KafkaApp.OUT));
	}

	@AfterAll
	void stop() {
		if (this.outConsumer != null) {
			this.outConsumer.close();
		}
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
		if (this.broker != null) {
			this.broker.destroy();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "template", "default", "raw", "async" })
	void shouldPutTheTagOfTheRequestOnARecordSentInsideIt(String how) {
		String key = send(this.stable, how, IsolationTags.GROUP, "feature-x", IsolationTags.FAIL_FAST, "inventory,pricing");

		ConsumerRecord<String, String> record = received(key);

		assertThat(headers(record, IsolationTags.GROUP)).containsExactly("feature-x");
		assertThat(headers(record, IsolationTags.FAIL_FAST)).singleElement()
			.satisfies((list) -> assertThat(list.split(",")).as("fail-fast list, in any order")
				.containsExactlyInAnyOrder("inventory", "pricing"));
	}

	@Test
	void shouldTakeTheTagOfARequestFromItsW3cBaggageHeader() {
		String key = send(this.stable, "template", "baggage", "isolation-group=feature-x");

		assertThat(headers(received(key), IsolationTags.GROUP)).containsExactly("feature-x");
	}

	@Test
	void shouldLeaveAloneAGroupHeaderTheRecordAlreadyHas() {
		String key = send(this.stable, "preset", IsolationTags.GROUP, "feature-x", IsolationTags.FAIL_FAST, "inventory");

		ConsumerRecord<String, String> record = received(key);

		assertThat(headers(record, IsolationTags.GROUP)).containsExactly("feature-y");
		assertThat(headers(record, IsolationTags.FAIL_FAST)).containsExactly("inventory");
	}

	@ParameterizedTest
	@ValueSource(strings = { "template", "raw" })
	void shouldSendNoHeaderForAnUntaggedRecordOfAStableInstance(String how) {
		String key = send(this.stable, how);

		ConsumerRecord<String, String> record = received(key);

		assertThat(headers(record, IsolationTags.GROUP)).isEmpty();
		assertThat(headers(record, IsolationTags.FAIL_FAST)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "template", "default", "raw", "async" })
	void shouldPutTheGroupOfAFeatureInstanceOnARecordItSendsOutsideAnyRequest(String how) throws Exception {
		String key = UUID.randomUUID().toString();
		this.feature.getBean(KafkaApp.Sender.class).send(how, key);

		ConsumerRecord<String, String> record = received(key);

		assertThat(headers(record, IsolationTags.GROUP)).containsExactly("feature-x");
		assertThat(headers(record, IsolationTags.FAIL_FAST)).isEmpty();
	}

	@Test
	void shouldSendNoHeaderForARecordAStableInstanceSendsOutsideAnyRequest() throws Exception {
		String key = UUID.randomUUID().toString();
		this.stable.getBean(KafkaApp.Sender.class).send("template", key);

		assertThat(headers(received(key), IsolationTags.GROUP)).isEmpty();
	}

	@Test
	void shouldRouteTheCallsAndRecordsOfAListenerByTheRecordsGroup() {
		String key = produce(IsolationTags.GROUP, "feature-x", IsolationTags.FAIL_FAST, "inventory");

		for (String app : List.of("stable", "feature")) {
			ConsumerRecord<String, String> sent = received(key + "@" + app);
			assertThat(sent.value()).as("what next answered %s", app).isEqualTo("next@feature-x");
			assertThat(headers(sent, IsolationTags.GROUP)).as("group sent on by %s", app).containsExactly("feature-x");
			assertThat(headers(sent, IsolationTags.FAIL_FAST)).as("fail-fast sent on by %s", app)
				.containsExactly("inventory");
		}
	}

	@Test
	void shouldTakeTheGroupOfARecordFromItsW3cBaggageHeader() {
		String key = produce("baggage", "isolation-group=feature-x");

		for (String app : List.of("stable", "feature")) {
			ConsumerRecord<String, String> sent = received(key + "@" + app);
			assertThat(sent.value()).as("what next answered %s", app).isEqualTo("next@feature-x");
			assertThat(headers(sent, IsolationTags.GROUP)).as("group sent on by %s", app).containsExactly("feature-x");
		}
	}

	@Test
	void shouldProcessAnUntaggedRecordInTheGroupOfTheInstance() {
		String key = produce();

		ConsumerRecord<String, String> byStable = received(key + "@stable");
		assertThat(byStable.value()).isEqualTo("next@stable");
		assertThat(headers(byStable, IsolationTags.GROUP)).isEmpty();
		ConsumerRecord<String, String> byFeature = received(key + "@feature");
		assertThat(byFeature.value()).isEqualTo("next@feature-x");
		assertThat(headers(byFeature, IsolationTags.GROUP)).containsExactly("feature-x");
	}

	@Test
	void shouldDropAMalformedGroupHeaderCountItAndProcessTheRecordUntagged() {
		double before = dropped(this.stable);

		String key = produce(IsolationTags.GROUP, "Feature X!");

		ConsumerRecord<String, String> sent = received(key + "@stable");
		assertThat(sent.value()).isEqualTo("next@stable");
		assertThat(headers(sent, IsolationTags.GROUP)).isEmpty();
		assertThat(dropped(this.stable) - before).isEqualTo(1.0);
	}

	@Test
	void shouldNotLeaveTheTagOfOneRecordOnTheNext() {
		String tagged = produce(IsolationTags.GROUP, "feature-x");
		String untagged = produce();

		assertThat(received(tagged + "@stable").value()).isEqualTo("next@feature-x");
		assertThat(received(untagged + "@stable").value()).isEqualTo("next@stable");
		assertThat(headers(received(untagged + "@stable"), IsolationTags.GROUP)).isEmpty();
	}

	/**
	 * A value the listener refuses must not reach anything it sends, even where Kafka observation
	 * lets tracing read the record's headers before the listener runs: a value malformed as the
	 * single header may read as a valid group in the W3C form ({@code feature-x;p}), and would
	 * route the next hop if tracing carried it on.
	 */
	@Test
	void shouldSendOnNoValueItRefusedWithKafkaObservationOn() {
		Random random = new Random(13);
		for (int i = 0; i < 60; i++) {
			String hostile = Fuzz.around(random, (i % 2 == 0) ? "feature-x" : "inventory");
			String[] headers = switch (i % 4) {
				case 0 -> new String[] { IsolationTags.GROUP, hostile };
				case 1 -> new String[] { IsolationTags.GROUP, "feature-x", IsolationTags.FAIL_FAST, hostile };
				case 2 -> new String[] { W3cBaggage.HEADER, IsolationTags.GROUP + "=" + hostile };
				default -> new String[] { W3cBaggage.HEADER,
						IsolationTags.GROUP + "=feature-x," + IsolationTags.FAIL_FAST + "=" + hostile };
			};
			ReceivedTags accepted = accepted(headers);
			String description = Fuzz.describe(headers);

			ConsumerRecord<String, String> sent = received(produce(headers) + "@observed");
			description = description + " sent on with " + sent.headers();

			String group = (accepted.group() != null) ? accepted.groupValue() : null;
			assertThat(sent.value()).as(description)
				.isEqualTo("next@" + ("feature-x".equals(group) ? "feature-x" : "stable"));
			assertThat(headers(sent, IsolationTags.GROUP)).as(description)
				.containsExactlyElementsOf((group != null) ? List.of(group) : List.of());
			assertThat(headers(sent, IsolationTags.FAIL_FAST)).as(description)
				.containsExactlyElementsOf(accepted.failFast().isEmpty() ? List.of() : List.of(accepted.failFastValue()));
			// Whatever tracing wrote into the W3C header, read as leniently as any propagator.
			for (String baggage : headers(sent, W3cBaggage.HEADER)) {
				for (String entry : baggage.split(",")) {
					String key = entry.split("=", 2)[0].trim().toLowerCase(Locale.ROOT);
					String value = entry.contains("=") ? entry.split("=", 2)[1].split(";", 2)[0].trim() : "";
					if (key.equals(IsolationTags.GROUP)) {
						assertThat(value).as(description + ", baggage " + baggage).isEqualTo(group);
					}
					if (key.equals(IsolationTags.FAIL_FAST)) {
						assertThat(value).as(description + ", baggage " + baggage)
							.isEqualTo(accepted.failFast().isEmpty() ? null : accepted.failFastValue());
					}
				}
			}
		}
	}

	/**
	 * A batch of three records of three groups: each record's call and record go in its own
	 * group, and neither the tag of one record reaches the next nor the last one the code after
	 * the batch; with Kafka observation off (no span: the scope starts one) and on.
	 */
	@Test
	void shouldRunEachRecordOfABatchInItsOwnTagAndTheCodeAfterItInNone() {
		String featureX = produceTo(KafkaApp.BATCH_IN, IsolationTags.GROUP, "feature-x", IsolationTags.FAIL_FAST,
				"inventory");
		String untagged = produceTo(KafkaApp.BATCH_IN);
		String featureY = produceTo(KafkaApp.BATCH_IN, W3cBaggage.HEADER, IsolationTags.GROUP + "=feature-y");
		// Started once the three records are on the topic: the first poll takes them as one batch.
		for (ConfigurableApplicationContext app : List.of(this.stable, this.observed)) {
			app.getBean(KafkaListenerEndpointRegistry.class)
				.getListenerContainer(app.getEnvironment().getProperty("app.name") + "-" + KafkaApp.BATCH_LISTENER)
				.start();
		}

		for (String app : List.of("stable", "observed")) {
			ConsumerRecord<String, String> byX = received(featureX + "@" + app + "-batch");
			assertThat(byX.value()).as("what next answered %s for feature-x", app).isEqualTo("next@feature-x");
			assertThat(headers(byX, IsolationTags.GROUP)).containsExactly("feature-x");
			assertThat(headers(byX, IsolationTags.FAIL_FAST)).containsExactly("inventory");
			ConsumerRecord<String, String> byUntagged = received(untagged + "@" + app + "-batch");
			assertThat(byUntagged.value()).as("what next answered %s for the untagged record after feature-x", app)
				.isEqualTo("next@stable");
			assertThat(headers(byUntagged, IsolationTags.GROUP)).isEmpty();
			assertThat(headers(byUntagged, IsolationTags.FAIL_FAST)).isEmpty();
			ConsumerRecord<String, String> byY = received(featureY + "@" + app + "-batch");
			assertThat(byY.value()).as("no next in feature-y: stable").isEqualTo("next@stable");
			assertThat(headers(byY, IsolationTags.GROUP)).containsExactly("feature-y");
			ConsumerRecord<String, String> after = received(featureX + "@" + app + "-after");
			assertThat(after.value()).as("after the batch, in one batch").isEqualTo("next@stable of 3");
			assertThat(headers(after, IsolationTags.GROUP)).as("group sent after the batch by %s", app).isEmpty();
			assertThat(headers(after, IsolationTags.FAIL_FAST)).isEmpty();
		}
	}

	private static ReceivedTags accepted(String[] headers) {
		String group = null;
		String failFast = null;
		List<String> baggage = new ArrayList<>();
		for (int i = 0; i < headers.length; i += 2) {
			switch (headers[i]) {
				case IsolationTags.GROUP -> group = headers[i + 1];
				case IsolationTags.FAIL_FAST -> failFast = headers[i + 1];
				default -> baggage.add(headers[i + 1]);
			}
		}
		return ReceivedTags.read(group, failFast, () -> baggage, (tag, reason) -> {
		});
	}

	private static double dropped(ConfigurableApplicationContext context) {
		Counter counter = context.getBean(MeterRegistry.class)
			.find("isolation.tags.dropped")
			.tag("field", IsolationTags.GROUP)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** Sends a record to the listeners' topic from a producer without the interceptor. */
	private String produce(String... headers) {
		return produceTo(KafkaApp.IN, headers);
	}

	private String produceTo(String topic, String... headers) {
		String key = UUID.randomUUID().toString();
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, "hello");
		for (int i = 0; i < headers.length; i += 2) {
			record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
		}
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()),
				new StringSerializer(), new StringSerializer())) {
			producer.send(record).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not send a record", ex);
		}
		return key;
	}

	/** Asks an application to send a record, in a request with the given headers. */
	private String send(ConfigurableApplicationContext app, String how, String... headers) {
		String key = UUID.randomUUID().toString();
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(app).resolve("/send?how=" + how + "&key=" + key))
			.timeout(WAIT);
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("answer to /send: %s", response.body()).isEqualTo(200);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return key;
	}

	private ConsumerRecord<String, String> received(String key) {
		await().atMost(WAIT).until(() -> {
			this.outConsumer.poll(Duration.ofMillis(100)).forEach((record) -> this.out.put(record.key(), record));
			return this.out.containsKey(key);
		});
		return this.out.get(key);
	}

	private static List<String> headers(ConsumerRecord<String, String> record, String name) {
		List<String> values = new ArrayList<>();
		for (Header header : record.headers().headers(name)) {
			values.add(new String(header.value(), StandardCharsets.UTF_8));
		}
		return values;
	}

	private ConfigurableApplicationContext start(Class<?> application, String service, String group, String... extra) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", service);
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "warn");
		properties.put("spring.autoconfigure.exclude", this.bridge.otherBridgeAutoConfiguration());
		properties.put("management.tracing.sampling.probability", "1.0");
		properties.put("spring.cloud.zookeeper.enabled", "false");
		properties.put("spring.kafka.bootstrap-servers", this.broker.getBrokersAsString());
		properties.put("spring.kafka.consumer.auto-offset-reset", "earliest");
		properties.put("spring.kafka.template.default-topic", KafkaApp.OUT);
		if (group != null) {
			properties.put("isolation.group", group);
		}
		for (String pair : extra) {
			int eq = pair.indexOf('=');
			properties.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).properties(properties).run();
		this.contexts.add(context);
		assertThat(context.getBean(io.micrometer.tracing.Tracer.class).getClass().getName())
			.isEqualTo(this.bridge.tracerClassName());
		return context;
	}

	private static URI uri(ConfigurableApplicationContext context) {
		return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
	}

	private static String[] concat(String[] first, String... second) {
		List<String> all = new ArrayList<>(List.of(first));
		all.addAll(List.of(second));
		return all.toArray(String[]::new);
	}

}
