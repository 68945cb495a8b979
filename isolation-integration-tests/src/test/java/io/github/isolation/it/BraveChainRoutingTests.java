package io.github.isolation.it;

import io.github.isolation.it.chain.Chain;

/** The chain with the Brave bridge and every trace sampled. */
class BraveChainRoutingTests extends ChainRoutingTests {

	BraveChainRoutingTests() {
		super(Chain.Bridge.BRAVE, true);
	}

}
