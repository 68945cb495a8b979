package io.github.isolation.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.github.isolation.core.ReceivedTags;
import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainApp.HopController;
import io.github.isolation.it.chain.ChainApp.WireTags;
import io.github.isolation.it.chain.ChainClient;
import io.github.isolation.testsupport.Bridge;
import io.github.isolation.testsupport.Fuzz;
import io.github.isolation.testsupport.TagFuzz;
import io.github.isolation.testsupport.TagFuzz.Expected;
import io.github.isolation.testsupport.TagFuzz.Field;
import io.github.isolation.testsupport.TagFuzz.WireForm;
import io.micrometer.core.instrument.Counter;
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
 * Hostile tag values ({@link TagFuzz}) sent to the first hop of {@code a -> b -> c} over real
 * HTTP, for every client a servlet hop can use and in both wire forms. Every later hop must
 * route on, and receive, exactly what the first hop accepted; a value it rejects must be
 * counted, and never logged unescaped. Subclasses pick the tracing bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
abstract class TagFuzzChainTests {

	/** Values per client, wire form and field; each is a call through three hops. */
	private static final int VALUES = 25;

	private final Chain chain;

	private final Instance a;

	private final List<Instance> later = new ArrayList<>();

	TagFuzzChainTests(Bridge bridge) {
		this.chain = new Chain(bridge, true).with("logging.level.io.github.isolation=debug");
		this.later.add(this.chain.start("c", null, null));
		this.later.add(this.chain.start("c", TagFuzz.FEATURE_X.name(), null));
		this.later.add(this.chain.start("b", "stable", "c"));
		this.later.add(this.chain.start("b", TagFuzz.FEATURE_X.name(), "c"));
		this.a = this.chain.start("a", "stable", "b");
	}

	@AfterAll
	void stopChain() {
		this.chain.close();
	}

	@ParameterizedTest
	@EnumSource(ChainClient.class)
	void shouldLetNoLaterHopRouteOnOrReceiveATagTheFirstHopRejected(ChainClient via, CapturedOutput output) {
		Random random = new Random(via.ordinal() * 7919L + getClass().getName().hashCode());
		List<String> unprintable = new ArrayList<>();
		for (WireForm form : WireForm.values()) {
			for (Field field : Field.values()) {
				for (int i = 0; i < VALUES; i++) {
					// given
					String[] headers = TagFuzz.request(random, field, form);
					String description = via.via() + " with " + Fuzz.describe(headers);
					takeReceived();
					double droppedBefore = dropped();

					// when
					Reply reply = this.chain.callRaw(this.a, via, headers);

					// then
					if (reply.status() == 400) {
						// The server refused the request itself (a control character): nothing ran.
						assertThat(takeReceived()).as(description).isEmpty();
						continue;
					}
					int[] rejections = new int[1];
					ReceivedTags accepted = TagFuzz.accepted(headers, (tag, reason) -> rejections[0]++);
					Expected expected = TagFuzz.expected(accepted);
					assertThat(reply.status()).as(description).isEqualTo(expected.status());
					if (expected.failure() == null) {
						assertThat(reply.body()).as(description).isEqualTo(expected.route());
					}
					else {
						assertThat(reply.body()).as(description).startsWith(expected.route()).contains(expected.failure());
					}
					for (WireTags received : takeReceived()) {
						assertThat(TagFuzz.faults(received.group(), received.failFast(), received.baggage(), accepted))
							.as(description + ", a later hop received " + received)
							.isEmpty();
					}
					if (rejections[0] > 0) {
						assertThat(dropped()).as("drops counted for " + description).isGreaterThan(droppedBefore);
					}
					TagFuzz.asTheServerSees(headers).stream().filter(TagFuzz::isUnprintable).forEach(unprintable::add);
				}
			}
		}
		assertThat(unprintable).as("hostile values with control or non-ASCII characters").isNotEmpty();
		for (String value : unprintable) {
			assertThat(output.getAll()).as("the output shows no hostile value unescaped").doesNotContain(value);
		}
	}

	private List<WireTags> takeReceived() {
		List<WireTags> received = new ArrayList<>();
		for (Instance instance : this.later) {
			received.addAll(instance.context().getBean(HopController.class).takeReceived());
		}
		return received;
	}

	private double dropped() {
		return this.a.context()
			.getBean(MeterRegistry.class)
			.find("isolation.tags.dropped")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}
