package io.github.isolation.it.reactive;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.github.isolation.it.reactive.HopApp.ReactiveClient;
import io.github.isolation.it.reactive.HopApp.WireTagsRecorder;
import io.github.isolation.it.reactive.ReactiveChain.Instance;
import io.github.isolation.testsupport.Bridge;
import io.github.isolation.testsupport.SocketHttp;
import io.github.isolation.testsupport.TagFuzz;
import io.github.isolation.testsupport.TagFuzz.WireTags;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile tag values ({@link TagFuzz}) sent to the first hop of {@code a -> b -> c} of WebFlux
 * applications over real HTTP, for an instrumented and a bare {@code WebClient} and in both wire
 * forms. Every later hop must route on, and receive, exactly what the first hop accepted; a
 * value it rejects must be counted, and never logged unescaped. Subclasses pick the tracing
 * bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
abstract class TagFuzzWebClientChainTests {

	/** Values per client, wire form and field; each is a call through three hops. */
	private static final int VALUES = 25;

	private final ReactiveChain chain;

	private final Instance a;

	private final List<Instance> later = new ArrayList<>();

	TagFuzzWebClientChainTests(Bridge bridge) {
		this.chain = new ReactiveChain(bridge, true);
		String debug = "logging.level.io.github.isolation=debug";
		this.later.add(this.chain.start("c", "stable", null, debug));
		this.later.add(this.chain.start("c", TagFuzz.FEATURE_X.name(), null, debug));
		this.later.add(this.chain.start("b", "stable", "c", debug));
		this.later.add(this.chain.start("b", TagFuzz.FEATURE_X.name(), "c", debug));
		this.a = this.chain.start("a", "stable", "b", debug);
	}

	@AfterAll
	void stopChain() {
		this.chain.close();
	}

	@ParameterizedTest
	@EnumSource(ReactiveClient.class)
	void shouldLetNoLaterHopRouteOnOrReceiveATagTheFirstHopRejected(ReactiveClient via, CapturedOutput output) {
		Random random = new Random(via.ordinal() * 7919L + getClass().getName().hashCode());

		List<String> unprintable = TagFuzz.run(new FuzzedChain(via), random, VALUES, via.via());

		for (String value : unprintable) {
			assertThat(output.getAll()).as("the output shows no hostile value unescaped").doesNotContain(value);
		}
	}

	private final class FuzzedChain implements TagFuzz.Chain {

		private final ReactiveClient via;

		FuzzedChain(ReactiveClient via) {
			this.via = via;
		}

		@Override
		public SocketHttp.Response call(String[] headers) {
			return SocketHttp.get("127.0.0.1", TagFuzzWebClientChainTests.this.a.port(), "/hop?via=" + this.via.via(),
					headers);
		}

		@Override
		public List<WireTags> takeReceived() {
			List<WireTags> received = new ArrayList<>();
			for (Instance instance : TagFuzzWebClientChainTests.this.later) {
				received.addAll(instance.context().getBean(WireTagsRecorder.class).take());
			}
			return received;
		}

		@Override
		public MeterRegistry firstHopMeters() {
			return TagFuzzWebClientChainTests.this.a.context().getBean(MeterRegistry.class);
		}

	}

}
