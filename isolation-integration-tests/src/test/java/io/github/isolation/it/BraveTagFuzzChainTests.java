package io.github.isolation.it;

import io.github.isolation.testsupport.Bridge;

/** The tag fuzz through the chain with the Brave bridge. */
class BraveTagFuzzChainTests extends TagFuzzChainTests {

	BraveTagFuzzChainTests() {
		super(Bridge.BRAVE);
	}

}
