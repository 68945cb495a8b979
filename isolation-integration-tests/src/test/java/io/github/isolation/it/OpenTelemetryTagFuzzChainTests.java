package io.github.isolation.it;

import io.github.isolation.testsupport.Bridge;

/** The tag fuzz through the chain with the OpenTelemetry bridge. */
class OpenTelemetryTagFuzzChainTests extends TagFuzzChainTests {

	OpenTelemetryTagFuzzChainTests() {
		super(Bridge.OPENTELEMETRY);
	}

}
