package io.github.isolation.it.async;

import io.github.isolation.it.chain.Chain;

/** Async work with the Brave bridge and every trace sampled. */
class BraveAsyncPropagationTests extends AsyncPropagationTests {

	BraveAsyncPropagationTests() {
		super(Chain.Bridge.BRAVE, true);
	}

}
