package io.github.isolation.kafka;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.kafka.LaneApp.Processed;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.CommonErrorHandler;

/**
 * {@link LaneApp} with a batch listener: it notes each record of a batch in
 * {@link LaneApp#PROCESSED}, with the isolation group current while it runs in the record's tag
 * ({@link IsolationRecordScope}) as the record's group; the same error handler notes each record
 * given up on in {@link LaneApp#FAILED}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(BatchLaneApp.Listener.class)
public class BatchLaneApp {

	@Bean
	CommonErrorHandler laneAppErrorHandler() {
		return new LaneApp().laneAppErrorHandler();
	}

	/** Notes each record of each batch it is given, in the record's tag. */
	public static class Listener {

		private final String app;

		private final IsolationRecordScope recordScope;

		private final IsolationContext isolation;

		Listener(@Value("${app.name}") String app, IsolationRecordScope recordScope, IsolationContext isolation) {
			this.app = app;
			this.recordScope = recordScope;
			this.isolation = isolation;
		}

		@KafkaListener(id = "${app.name}-listener", topics = "${app.topic}", groupId = "${app.consumer-group}",
				concurrency = "3", batch = "true")
		void onBatch(List<ConsumerRecord<String, String>> records) {
			for (ConsumerRecord<String, String> record : records) {
				this.recordScope.run(record, () -> {
					Processed processed = new Processed(this.app, record.key(), this.isolation.current().group().name(),
							record.partition(), record.offset());
					LaneApp.PROCESSED.add(processed);
				});
			}
		}

	}

}
