package io.github.isolation.it.gateway;

import io.github.isolation.testsupport.Bridge;

/** The gateway fuzz on Brave. */
class BraveTagFuzzGatewayTests extends TagFuzzGatewayTests {

	BraveTagFuzzGatewayTests() {
		super(Bridge.BRAVE);
	}

}
