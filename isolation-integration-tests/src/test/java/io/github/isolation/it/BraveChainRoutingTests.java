package io.github.isolation.it;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.testsupport.Bridge;

/** The chain with the Brave bridge and every trace sampled. */
class BraveChainRoutingTests extends ChainRoutingTests {

	BraveChainRoutingTests() {
		super(Bridge.BRAVE, true);
	}

}
