package io.github.isolation.it.async;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.testsupport.Bridge;

/** Async work with the OpenTelemetry bridge and no trace sampled: the tag must cross threads anyway. */
class OpenTelemetryAsyncPropagationTests extends AsyncPropagationTests {

	OpenTelemetryAsyncPropagationTests() {
		super(Bridge.OPENTELEMETRY, false);
	}

}
