package io.github.isolation.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.github.isolation.core.IsolationTags;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A service that sends records, in every way an application can, and consumes them:
 * {@code GET /send?how=HOW&key=KEY} sends one record to {@value #OUT} and its listener on
 * {@value #IN} calls the service {@code next} through a {@code @LoadBalanced RestClient} and
 * sends what it answered to {@value #OUT}, keyed by the record's key and this application's
 * name. A batch listener on {@value #BATCH_IN}, started by hand, does the same for each record of
 * a batch in that record's tag, keyed by the record's key and {@code name-batch}; then, outside
 * any record's tag, once more for the batch, keyed by its first record's key and
 * {@code name-after}, with the size of the batch.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ KafkaApp.Sender.class, KafkaApp.SendController.class, KafkaApp.Listener.class, KafkaApp.BatchListener.class })
public class KafkaApp {

	static final String IN = "isolation-in";

	static final String OUT = "isolation-out";

	static final String BATCH_IN = "isolation-batch-in";

	static final String BATCH_LISTENER = "batch";

	@Bean
	@LoadBalanced
	RestClient.Builder loadBalancedRestClientBuilder() {
		return RestClient.builder();
	}

	/** Sends one record to {@value #OUT} the way asked. */
	public static class Sender {

		private final KafkaTemplate<String, String> template;

		// Made from Spring Boot's Kafka properties, as an application's own raw producer would be.
		private final ProducerFactory<String, String> producerFactory;

		private final Executor executor;

		Sender(KafkaTemplate<String, String> template, ProducerFactory<String, String> producerFactory,
				@Qualifier("applicationTaskExecutor") Executor executor) {
			this.template = template;
			this.producerFactory = producerFactory;
			this.executor = executor;
		}

		public void send(String how, String key) throws Exception {
			switch (how) {
				case "template" -> this.template.send(OUT, key, how).get();
				case "default" -> this.template.sendDefault(key, how).get();
				case "raw" -> {
					Map<String, Object> config = this.producerFactory.getConfigurationProperties();
					try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
							new StringSerializer())) {
						CompletableFuture<Void> acked = new CompletableFuture<>();
						producer.send(new ProducerRecord<>(OUT, key, how), (metadata, ex) -> {
							if (ex != null) {
								acked.completeExceptionally(ex);
							}
							else {
								acked.complete(null);
							}
						});
						acked.get();
					}
				}
				case "async" -> CompletableFuture.supplyAsync(() -> this.template.send(OUT, key, how), this.executor)
					.thenCompose((sent) -> sent)
					.get();
				case "preset" -> {
					ProducerRecord<String, String> record = new ProducerRecord<>(OUT, key, how);
					record.headers().add(IsolationTags.GROUP, "feature-y".getBytes(StandardCharsets.UTF_8));
					this.template.send(record).get();
				}
				default -> throw new IllegalArgumentException(how);
			}
		}

	}

	@RestController
	public static class SendController {

		private final Sender sender;

		SendController(Sender sender) {
			this.sender = sender;
		}

		@GetMapping("/send")
		String send(@RequestParam String how, @RequestParam String key) throws Exception {
			this.sender.send(how, key);
			return "sent";
		}

	}

	/** Calls {@code next} for each record and sends the answer on. */
	public static class Listener {

		private final RestClient next;

		private final KafkaTemplate<String, String> template;

		private final String name;

		Listener(RestClient.Builder loadBalancedRestClientBuilder, KafkaTemplate<String, String> template,
				@Value("${app.name}") String name) {
			this.next = loadBalancedRestClientBuilder.build();
			this.template = template;
			this.name = name;
		}

		@KafkaListener(topics = IN, groupId = "${app.name}")
		void onRecord(ConsumerRecord<String, String> record) {
			String answer = this.next.get().uri("http://next/hop").retrieve().body(String.class);
			this.template.send(OUT, record.key() + "@" + this.name, answer);
		}

	}

	/** Calls {@code next} for each record of a batch, in the record's tag, and once after it. */
	public static class BatchListener {

		private final RestClient next;

		private final KafkaTemplate<String, String> template;

		private final IsolationRecordScope recordScope;

		private final String name;

		BatchListener(RestClient.Builder loadBalancedRestClientBuilder, KafkaTemplate<String, String> template,
				IsolationRecordScope recordScope, @Value("${app.name}") String name) {
			this.next = loadBalancedRestClientBuilder.build();
			this.template = template;
			this.recordScope = recordScope;
			this.name = name;
		}

		@KafkaListener(id = "${app.name}-" + BATCH_LISTENER, topics = BATCH_IN, groupId = "${app.name}-batch",
				batch = "true", autoStartup = "false")
		void onBatch(List<ConsumerRecord<String, String>> records) {
			for (ConsumerRecord<String, String> record : records) {
				try (IsolationRecordScope.RecordScope scope = this.recordScope.open(record)) {
					String answer = this.next.get().uri("http://next/hop").retrieve().body(String.class);
					this.template.send(OUT, record.key() + "@" + this.name + "-batch", answer);
				}
			}
			String answer = this.next.get().uri("http://next/hop").retrieve().body(String.class);
			this.template.send(OUT, records.get(0).key() + "@" + this.name + "-after", answer + " of " + records.size());
		}

	}

	/** The next service: answers with its group. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(NextApp.HopController.class)
	public static class NextApp {

		@RestController
		public static class HopController {

			private final String group;

			HopController(@Value("${isolation.group:stable}") String group) {
				this.group = group;
			}

			@GetMapping("/hop")
			String hop() {
				return "next@" + this.group;
			}

		}

	}

}
