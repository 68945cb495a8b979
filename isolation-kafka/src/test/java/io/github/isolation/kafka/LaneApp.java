package io.github.isolation.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.github.isolation.core.IsolationTags;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * A consumer service for lanes: its listener, in consumer group {@code ${app.consumer-group}}
 * on topic {@code ${app.topic}} with three consumers, notes which application processed which
 * record; its error handler notes each record it gives up on, with the reason, at once.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(LaneApp.Listener.class)
public class LaneApp {

	/** Each processing of a record, in the order they happened. */
	static final Queue<Processed> PROCESSED = new ConcurrentLinkedQueue<>();

	/**
	 * Told of each processing as the listener returns, before its offset can be committed; a
	 * {@link LaneAppProcess} reports it to the test that started it.
	 */
	static volatile java.util.function.Consumer<Processed> onProcessed = (processed) -> {
	};

	/** Each record given up on, by key: the reason. */
	static final Map<String, String> FAILED = new ConcurrentHashMap<>();

	record Processed(String app, String key, String group, int partition, long offset) {
	}

	@Bean
	CommonErrorHandler laneAppErrorHandler() {
		return new DefaultErrorHandler((record, ex) -> FAILED.put((String) record.key(), rootMessage(ex)),
				new FixedBackOff(0, 0));
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

	/** Notes each record it is given. */
	public static class Listener {

		private final String app;

		Listener(@Value("${app.name}") String app) {
			this.app = app;
		}

		@KafkaListener(id = "${app.name}-listener", topics = "${app.topic}", groupId = "${app.consumer-group}",
				concurrency = "3")
		void onRecord(ConsumerRecord<String, String> record) {
			Header group = record.headers().lastHeader(IsolationTags.GROUP);
			Processed processed = new Processed(this.app, record.key(),
					(group != null) ? new String(group.value(), StandardCharsets.UTF_8) : null, record.partition(),
					record.offset());
			PROCESSED.add(processed);
			onProcessed.accept(processed);
		}

	}

	static List<Processed> processedOf(String topicPrefix) {
		return PROCESSED.stream().filter((p) -> p.key().startsWith(topicPrefix)).toList();
	}

}
