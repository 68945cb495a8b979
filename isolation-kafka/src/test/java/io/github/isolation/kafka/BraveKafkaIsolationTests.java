package io.github.isolation.kafka;

import io.github.isolation.testsupport.Bridge;

class BraveKafkaIsolationTests extends KafkaIsolationTests {

	BraveKafkaIsolationTests() {
		super(Bridge.BRAVE);
	}

}
