package io.github.isolation.it;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.testsupport.Bridge;

/** The chain with the OpenTelemetry bridge and no trace sampled: the tag must travel anyway. */
class OpenTelemetryChainRoutingTests extends ChainRoutingTests {

	OpenTelemetryChainRoutingTests() {
		super(Bridge.OPENTELEMETRY, false);
	}

}
