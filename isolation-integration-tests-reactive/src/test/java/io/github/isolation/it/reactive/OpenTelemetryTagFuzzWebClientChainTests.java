package io.github.isolation.it.reactive;

import io.github.isolation.testsupport.Bridge;

/** The WebClient chain fuzz on OpenTelemetry. */
class OpenTelemetryTagFuzzWebClientChainTests extends TagFuzzWebClientChainTests {

	OpenTelemetryTagFuzzWebClientChainTests() {
		super(Bridge.OPENTELEMETRY);
	}

}
