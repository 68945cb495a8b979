package io.github.isolation.it;

import io.github.isolation.it.chain.Chain;

/** The chain with the OpenTelemetry bridge and no trace sampled: the tag must travel anyway. */
class OpenTelemetryChainRoutingTests extends ChainRoutingTests {

	OpenTelemetryChainRoutingTests() {
		super(Chain.Bridge.OPENTELEMETRY, false);
	}

}
