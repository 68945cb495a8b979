package io.github.isolation.it.gateway;

import io.github.isolation.testsupport.Bridge;

/** The gateway fuzz on OpenTelemetry. */
class OpenTelemetryTagFuzzGatewayTests extends TagFuzzGatewayTests {

	OpenTelemetryTagFuzzGatewayTests() {
		super(Bridge.OPENTELEMETRY);
	}

}
