package io.github.isolation.it.reactive;

import io.github.isolation.testsupport.Bridge;

/** The WebClient chain fuzz on Brave. */
class BraveTagFuzzWebClientChainTests extends TagFuzzWebClientChainTests {

	BraveTagFuzzWebClientChainTests() {
		super(Bridge.BRAVE);
	}

}
