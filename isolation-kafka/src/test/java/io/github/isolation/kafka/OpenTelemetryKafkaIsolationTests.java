package io.github.isolation.kafka;

import io.github.isolation.testsupport.Bridge;

class OpenTelemetryKafkaIsolationTests extends KafkaIsolationTests {

	OpenTelemetryKafkaIsolationTests() {
		super(Bridge.OPENTELEMETRY);
	}

}
