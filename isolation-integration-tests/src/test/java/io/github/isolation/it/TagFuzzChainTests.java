package io.github.isolation.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.ReceivedTags;
import io.github.isolation.core.W3cBaggage;
import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.it.chain.ChainApp.HopController;
import io.github.isolation.it.chain.ChainApp.WireTags;
import io.github.isolation.it.chain.ChainClient;
import io.github.isolation.testsupport.Bridge;
import io.github.isolation.testsupport.Fuzz;
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
 * Hostile tag values, generated around valid ones, sent to the first hop of {@code a -> b -> c}
 * over real HTTP, for every client a hop can use and in both wire forms. {@code b} and {@code c}
 * each have a stable and a {@code feature-x} instance, so every hop's choice shows in the
 * route. Whatever the first hop accepts ({@link ReceivedTags}, the rule every server side of the
 * library reads by) must be all that the later hops route on and receive; a value it rejects
 * must be counted, never logged unescaped, and never come back. Subclasses pick the tracing
 * bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
abstract class TagFuzzChainTests {

	/** Values per client, wire form and field; each is a call through three hops. */
	private static final int VALUES = 25;

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	/** The valid group of a request whose fail-fast list is fuzzed: no service has an instance in it. */
	private static final String NO_INSTANCES = "feature-y";

	private enum Field {

		GROUP, FAIL_FAST

	}

	private enum WireForm {

		SINGLE_HEADER, W3C_BAGGAGE

	}

	private final Chain chain;

	private final Instance a;

	private final List<Instance> later = new ArrayList<>();

	TagFuzzChainTests(Bridge bridge) {
		this.chain = new Chain(bridge, true).with("logging.level.io.github.isolation=debug");
		this.later.add(this.chain.start("c", null, null));
		this.later.add(this.chain.start("c", "feature-x", null));
		this.later.add(this.chain.start("b", "stable", "c"));
		this.later.add(this.chain.start("b", "feature-x", "c"));
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
					String value = (field == Field.GROUP) ? Fuzz.around(random, FEATURE_X.name())
							: Fuzz.around(random, random.nextBoolean() ? "c" : "b,c");
					String[] headers = headers(form, field, value);
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
					ReceivedTags accepted = accepted(headers, rejections);
					assertRoute(reply, accepted, description);
					for (WireTags received : takeReceived()) {
						assertCarriesOnly(received, accepted, description);
					}
					if (rejections[0] > 0) {
						assertThat(dropped()).as("drops counted for " + description).isGreaterThan(droppedBefore);
					}
					for (String seen : asTheServerSees(headers)) {
						if (!isPrintableAscii(seen)) {
							unprintable.add(seen);
						}
					}
				}
			}
		}
		assertThat(unprintable).as("hostile values with control or non-ASCII characters").isNotEmpty();
		for (String value : unprintable) {
			assertThat(output.getAll()).as("the output shows no hostile value unescaped").doesNotContain(value);
		}
	}

	private static String[] headers(WireForm form, Field field, String value) {
		if (field == Field.GROUP) {
			return (form == WireForm.SINGLE_HEADER) ? new String[] { IsolationTags.GROUP, value }
					: new String[] { W3cBaggage.HEADER, IsolationTags.GROUP + "=" + value };
		}
		return (form == WireForm.SINGLE_HEADER)
				? new String[] { IsolationTags.GROUP, NO_INSTANCES, IsolationTags.FAIL_FAST, value }
				: new String[] { W3cBaggage.HEADER,
						IsolationTags.GROUP + "=" + NO_INSTANCES + "," + IsolationTags.FAIL_FAST + "=" + value };
	}

	// What the first hop accepts of the request: the library's one rule for reading a request,
	// applied to the header values as the server decodes them.
	private static ReceivedTags accepted(String[] headers, int[] rejections) {
		String group = null;
		String failFast = null;
		List<String> baggage = new ArrayList<>();
		for (int i = 0; i < headers.length; i += 2) {
			String value = asReceived(headers[i + 1]);
			switch (headers[i]) {
				case IsolationTags.GROUP -> group = value;
				case IsolationTags.FAIL_FAST -> failFast = value;
				default -> baggage.add(value);
			}
		}
		return ReceivedTags.read(group, failFast, () -> baggage, (field, reason) -> rejections[0]++);
	}

	// The values a hop might log: each header as received, and each tag entry percent-decoded.
	private static List<String> asTheServerSees(String[] headers) {
		List<String> seen = new ArrayList<>();
		for (int i = 0; i < headers.length; i += 2) {
			String value = asReceived(headers[i + 1]);
			seen.add(value);
			if (headers[i].equals(W3cBaggage.HEADER)) {
				for (String field : new String[] { IsolationTags.GROUP, IsolationTags.FAIL_FAST }) {
					String decoded = W3cBaggage.valueOf(value, field);
					if (decoded != null) {
						seen.add(decoded);
					}
				}
			}
		}
		return seen;
	}

	// The request is sent as UTF-8, and an HTTP/1.1 server reads header bytes one character each.
	private static String asReceived(String sent) {
		return new String(sent.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
	}

	// Each hop routes by what the first hop accepted: feature-x where the group is feature-x,
	// a failure where a fail-fast service has no instance in the group, stable otherwise.
	private static void assertRoute(Reply reply, ReceivedTags accepted, String description) {
		IsolationGroup group = (accepted.group() != null) ? accepted.group() : IsolationGroup.STABLE;
		if (failsFast(group, accepted.failFast(), "b")) {
			assertThat(reply.status()).as(description).isEqualTo(502);
			assertThat(reply.body()).as(description)
				.startsWith("a@stable failed: ")
				.contains("No instance of 'b' in isolation group '" + group + "' and 'b' is fail-fast");
			return;
		}
		String b = "a@stable > b@" + hopGroup(group);
		if (failsFast(group, accepted.failFast(), "c")) {
			assertThat(reply.status()).as(description).isEqualTo(502);
			assertThat(reply.body()).as(description)
				.startsWith("a@stable failed: b@" + hopGroup(group) + " failed: ")
				.contains("No instance of 'c' in isolation group '" + group + "' and 'c' is fail-fast");
			return;
		}
		assertThat(reply.status()).as(description).isEqualTo(200);
		assertThat(reply.body()).as(description).isEqualTo(b + " > c@" + hopGroup(group));
	}

	private static boolean failsFast(IsolationGroup group, FailFastServices failFast, String service) {
		return !group.isStable() && !group.equals(FEATURE_X) && failFast.contains(service);
	}

	private static String hopGroup(IsolationGroup group) {
		return group.equals(FEATURE_X) ? FEATURE_X.name() : IsolationGroup.STABLE_NAME;
	}

	// A later hop receives the accepted tags or nothing, in any form: never a rejected value.
	private static void assertCarriesOnly(WireTags received, ReceivedTags accepted, String description) {
		String wire = description + ", later hop received " + received;
		for (String group : received.group()) {
			assertThat(group).as(wire).isEqualTo(accepted.groupValue());
		}
		for (String failFast : received.failFast()) {
			assertThat(failFast).as(wire).isEqualTo(accepted.failFastValue());
		}
		for (String header : received.baggage()) {
			for (String entry : header.split(",", -1)) {
				String key = entryKey(entry);
				if (key.equalsIgnoreCase(IsolationTags.GROUP)) {
					assertThat(key).as(wire).isEqualTo(IsolationTags.GROUP);
					assertThat(W3cBaggage.valueOf(entry, key)).as(wire).isEqualTo(accepted.groupValue());
				}
				else if (key.equalsIgnoreCase(IsolationTags.FAIL_FAST)) {
					// One bridge writes the list into this form without encoding its commas, so a
					// reader of this form alone sees a shorter list; the single header, read first,
					// carries all of it.
					assertThat(key).as(wire).isEqualTo(IsolationTags.FAIL_FAST);
					List<String> services = new ArrayList<>();
					FailFastServices read = FailFastServices.parse(W3cBaggage.valueOf(entry, key),
							(reason) -> services.add("rejected: " + reason));
					assertThat(services).as(wire).isEmpty();
					assertThat(accepted.failFast().union(read)).as(wire).isEqualTo(accepted.failFast());
				}
			}
		}
	}

	private static String entryKey(String entry) {
		int end = entry.length();
		for (char separator : new char[] { '=', ';' }) {
			int at = entry.indexOf(separator);
			end = (at >= 0) ? Math.min(end, at) : end;
		}
		return entry.substring(0, end).strip();
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

	private static boolean isPrintableAscii(String value) {
		return value.chars().allMatch((c) -> c >= 0x20 && c < 0x7f);
	}

}
