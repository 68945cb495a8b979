package io.github.isolation.it.async;

import io.github.isolation.it.chain.Chain;
import io.github.isolation.testsupport.Bridge;

/** Async work with the Brave bridge and every trace sampled. */
class BraveAsyncPropagationTests extends AsyncPropagationTests {

	BraveAsyncPropagationTests() {
		super(Bridge.BRAVE, true);
	}

}
