package io.github.isolation.benchmarks.kafka;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The consumer service of {@link LaneCost}: one record listener, three consumers, that counts
 * what it processes and notes when it processed the first and the last record.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(LaneCostApp.Listener.class)
public class LaneCostApp {

	/** Counts the records one application processed and when. */
	public static class Listener {

		final AtomicLong processed = new AtomicLong();

		volatile long firstNanos;

		volatile long lastNanos;

		/** Released when the expected number of records has been processed. */
		final CountDownLatch done;

		private final String app;

		Listener(@Value("${app.name}") String app, @Value("${app.expected:0}") int expected) {
			this.app = app;
			this.done = new CountDownLatch(expected);
		}

		@KafkaListener(id = "${app.name}-listener", topics = "${app.topic}", groupId = "${app.consumer-group}",
				concurrency = "${app.concurrency:3}")
		void onRecord(ConsumerRecord<String, String> record) {
			long now = System.nanoTime();
			if (this.processed.getAndIncrement() == 0) {
				this.firstNanos = now;
			}
			this.lastNanos = now;
			this.done.countDown();
		}

		String app() {
			return this.app;
		}

	}

}
