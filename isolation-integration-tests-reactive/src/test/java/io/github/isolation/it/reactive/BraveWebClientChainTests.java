package io.github.isolation.it.reactive;

import io.github.isolation.testsupport.Bridge;


/** The WebClient chain on Brave, every trace sampled. */
class BraveWebClientChainTests extends WebClientChainTests {

	BraveWebClientChainTests() {
		super(Bridge.BRAVE, true);
	}

}
