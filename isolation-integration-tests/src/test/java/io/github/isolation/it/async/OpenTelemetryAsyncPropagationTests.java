package io.github.isolation.it.async;

import io.github.isolation.it.chain.Chain;

/** Async work with the OpenTelemetry bridge and no trace sampled: the tag must cross threads anyway. */
class OpenTelemetryAsyncPropagationTests extends AsyncPropagationTests {

	OpenTelemetryAsyncPropagationTests() {
		super(Chain.Bridge.OPENTELEMETRY, false);
	}

}
