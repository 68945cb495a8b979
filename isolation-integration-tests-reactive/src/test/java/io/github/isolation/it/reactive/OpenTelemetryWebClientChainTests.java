package io.github.isolation.it.reactive;

import io.github.isolation.testsupport.Bridge;


/** The WebClient chain on OpenTelemetry, no trace sampled: baggage travels all the same. */
class OpenTelemetryWebClientChainTests extends WebClientChainTests {

	OpenTelemetryWebClientChainTests() {
		super(Bridge.OPENTELEMETRY, false);
	}

}
