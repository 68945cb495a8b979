package io.github.isolation.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.LogSafe;
import io.github.isolation.core.ReceivedTags;
import io.github.isolation.core.TagRejection;
import io.github.isolation.core.W3cBaggage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain fuzz shared by the servlet, WebFlux and gateway suites: hostile tags sent to the
 * first hop of {@code a -> b -> c}, where {@code b} and {@code c} each have a stable and a
 * {@code feature-x} instance, so that every hop's choice shows in the route. Whatever the first
 * hop accepts ({@link ReceivedTags}, the one rule every server side of the library reads a
 * request by) must be all that the later hops route on and receive.
 */
public final class TagFuzz {

	/** The group that {@code b} and {@code c} have an instance of besides stable. */
	public static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	/** The valid group of a request whose fail-fast list is fuzzed: no service has an instance in it. */
	public static final String NO_INSTANCES = "feature-y";

	/** The tag a hostile value stands in for. */
	public enum Field {

		/** The group, fuzzed around {@code feature-x}. */
		GROUP,

		/** The fail-fast list, fuzzed around {@code c} or {@code b,c}, with the group {@value #NO_INSTANCES}. */
		FAIL_FAST

	}

	/** How the request carries the tag. */
	public enum WireForm {

		/** The {@code isolation-group} or {@code isolation-fail-fast} header. */
		SINGLE_HEADER,

		/** An entry of the W3C {@code baggage} header. */
		W3C_BAGGAGE

	}

	/**
	 * The isolation headers of a request as a later hop received them, before the library or
	 * anything else in that hop rewrote them.
	 * @param group every {@code isolation-group} header value
	 * @param failFast every {@code isolation-fail-fast} header value
	 * @param baggage every {@code baggage} header value
	 */
	public record WireTags(List<String> group, List<String> failFast, List<String> baggage) {

		/**
		 * Reads the tags of a request.
		 * @param header every value of a header, by name
		 * @return the tags
		 */
		public static WireTags of(Function<String, List<String>> header) {
			return new WireTags(List.copyOf(header.apply(IsolationTags.GROUP)),
					List.copyOf(header.apply(IsolationTags.FAIL_FAST)), List.copyOf(header.apply(W3cBaggage.HEADER)));
		}

	}

	/** What the later hops of a chain received, each hop adding as it serves. */
	public static final class ReceivedLog {

		private final Queue<WireTags> received = new ConcurrentLinkedQueue<>();

		/** @param tags the tags of a request as received */
		public void add(WireTags tags) {
			this.received.add(tags);
		}

		/** @return the tags received since the last call, forgetting them */
		public List<WireTags> take() {
			List<WireTags> taken = new ArrayList<>();
			for (WireTags tags = this.received.poll(); tags != null; tags = this.received.poll()) {
				taken.add(tags);
			}
			return taken;
		}

	}

	/** A running chain {@code a -> b -> c}, as the fuzz drives and observes it. */
	public interface Chain {

		/**
		 * Sends {@code GET} with these headers, byte for byte, to the first hop.
		 * @param headers header names and values, alternating
		 * @return the response
		 */
		SocketHttp.Response call(String[] headers);

		/** @return the tags the later hops received since the last call, forgetting them */
		List<WireTags> takeReceived();

		/** @return the first hop's meters, where it counts {@code isolation.tags.dropped} */
		MeterRegistry firstHopMeters();

		/** @return the first hop as routes show it, or {@code null} for a gateway, which shows none */
		default String entry() {
			return "a@stable";
		}

	}

	/**
	 * Sends hostile values in every field and wire form to the first hop of a chain, and asserts
	 * that each call ends as {@link #expected} says, that no later hop receives anything but what
	 * the first hop accepted ({@link #faults}), and that each rejection is counted.
	 * @param chain the chain
	 * @param random the source of values
	 * @param values how many values per field and wire form
	 * @param client which client the hops use, for failure messages
	 * @return every value the hops saw that has a control or non-ASCII character, for the caller
	 * to check that no log shows it unescaped
	 */
	public static List<String> run(Chain chain, Random random, int values, String client) {
		List<String> unprintable = new ArrayList<>();
		for (WireForm form : WireForm.values()) {
			for (Field field : Field.values()) {
				for (int i = 0; i < values; i++) {
					String[] headers = request(random, field, form);
					String description = client + " with " + Fuzz.describe(headers);
					chain.takeReceived();
					double droppedBefore = dropped(chain);

					SocketHttp.Response reply = chain.call(headers);

					if (reply.status() == 400) {
						// The server refused the request itself (a control character): nothing ran.
						assertThat(chain.takeReceived()).as(description).isEmpty();
						continue;
					}
					int[] rejections = new int[1];
					ReceivedTags accepted = accepted(headers, (tag, reason) -> rejections[0]++);
					Expected expected = expected(accepted, chain.entry());
					assertThat(reply.status()).as(description).isEqualTo(expected.status());
					if (expected.failure() == null) {
						assertThat(reply.body()).as(description).isEqualTo(expected.route());
					}
					else {
						assertThat(reply.body()).as(description).startsWith(expected.route()).contains(expected.failure());
					}
					for (WireTags received : chain.takeReceived()) {
						assertThat(faults(received, accepted)).as(description + ", a later hop received " + received)
							.isEmpty();
					}
					if (rejections[0] > 0) {
						assertThat(dropped(chain)).as("drops counted for " + description).isGreaterThan(droppedBefore);
					}
					asTheServerSees(headers).stream().filter(TagFuzz::isUnprintable).forEach(unprintable::add);
				}
			}
		}
		assertThat(unprintable).as("hostile values with control or non-ASCII characters").isNotEmpty();
		return unprintable;
	}

	private static double dropped(Chain chain) {
		return chain.firstHopMeters()
			.find("isolation.tags.dropped")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	/**
	 * The outcome a request must have.
	 * @param status the status the entry answers with
	 * @param route the whole route for a 200, else how the failure's body starts
	 * @param failure what the failure's body says, or {@code null} for a 200
	 */
	record Expected(int status, String route, String failure) {
	}

	private TagFuzz() {
	}

	/**
	 * The headers of a request carrying a hostile value.
	 * @param random the source of randomness
	 * @param field the tag fuzzed
	 * @param form how the request carries it
	 * @return header names and values, alternating
	 */
	static String[] request(Random random, Field field, WireForm form) {
		if (field == Field.GROUP) {
			String value = Fuzz.around(random, FEATURE_X.name());
			return (form == WireForm.SINGLE_HEADER) ? new String[] { IsolationTags.GROUP, value }
					: new String[] { W3cBaggage.HEADER, IsolationTags.GROUP + "=" + value };
		}
		String value = Fuzz.around(random, random.nextBoolean() ? "c" : "b,c");
		return (form == WireForm.SINGLE_HEADER)
				? new String[] { IsolationTags.GROUP, NO_INSTANCES, IsolationTags.FAIL_FAST, value }
				: new String[] { W3cBaggage.HEADER,
						IsolationTags.GROUP + "=" + NO_INSTANCES + "," + IsolationTags.FAIL_FAST + "=" + value };
	}

	/**
	 * What the first hop accepts of a request, by the library's one rule for reading a request,
	 * applied to the header values as the server decodes them.
	 * @param headers header names and values, alternating, as sent
	 * @param rejected told of every value dropped
	 * @return the tags accepted
	 */
	static ReceivedTags accepted(String[] headers, BiConsumer<String, TagRejection> rejected) {
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
		return ReceivedTags.read(group, failFast, () -> baggage, rejected);
	}

	/**
	 * The outcome of a request through the chain: each hop goes to {@code feature-x} where the
	 * accepted group is {@code feature-x}, fails where a fail-fast service has no instance in the
	 * group, and goes to stable otherwise.
	 * @param accepted what the first hop accepted
	 * @param entry the first hop as routes show it, or {@code null} for a gateway
	 * @return the outcome
	 */
	static Expected expected(ReceivedTags accepted, String entry) {
		IsolationGroup group = (accepted.group() != null) ? accepted.group() : IsolationGroup.STABLE;
		String hop = group.equals(FEATURE_X) ? FEATURE_X.name() : IsolationGroup.STABLE_NAME;
		String failedAtEntry = (entry != null) ? entry + " failed: " : "";
		if (failsFast(group, accepted.failFast(), "b")) {
			// A gateway answers its own refusal with 503 and a problem detail that says why.
			return new Expected((entry != null) ? 502 : 503, failedAtEntry, failure("b", group));
		}
		if (failsFast(group, accepted.failFast(), "c")) {
			return new Expected(502, failedAtEntry + "b@" + hop + " failed: ", failure("c", group));
		}
		return new Expected(200, ((entry != null) ? entry + " > " : "") + "b@" + hop + " > c@" + hop, null);
	}

	/**
	 * What is wrong with the tags a later hop received: anything but the accepted tags, in any
	 * form, under any case of the key.
	 * @param received the tags a later hop received
	 * @param accepted what the first hop accepted
	 * @return a description of each fault, empty if there is none
	 */
	static List<String> faults(WireTags received, ReceivedTags accepted) {
		List<String> faults = new ArrayList<>();
		for (String group : received.group()) {
			if (!group.equals(accepted.groupValue())) {
				faults.add("isolation-group header " + LogSafe.quote(group));
			}
		}
		for (String failFast : received.failFast()) {
			if (!parsesTo(failFast, accepted.failFast())) {
				faults.add("isolation-fail-fast header " + LogSafe.quote(failFast));
			}
		}
		for (String header : received.baggage()) {
			for (String entry : header.split(",", -1)) {
				String key = entryKey(entry);
				boolean group = key.equalsIgnoreCase(IsolationTags.GROUP);
				boolean failFast = key.equalsIgnoreCase(IsolationTags.FAIL_FAST);
				if (!group && !failFast) {
					continue;
				}
				String value = W3cBaggage.valueOf(entry, key.toLowerCase(Locale.ROOT));
				// One bridge writes a list into this form without encoding its commas, so that a
				// reader of this form alone sees part of it; the single header, read first, has all.
				boolean right = group ? accepted.groupValue() != null && accepted.groupValue().equals(value)
						: isPartOf(value, accepted.failFast());
				if (!right || !key.equals(key.toLowerCase(Locale.ROOT))) {
					faults.add("baggage entry " + LogSafe.quote(entry));
				}
			}
		}
		return faults;
	}

	/**
	 * The values a hop might log of a request: each header as received, and each tag entry
	 * percent-decoded.
	 * @param headers header names and values, alternating, as sent
	 * @return the values
	 */
	static List<String> asTheServerSees(String[] headers) {
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

	/**
	 * Whether a value has a character outside printable ASCII, which a log line must show escaped.
	 * @param value the value
	 * @return {@code true} if it has one
	 */
	static boolean isUnprintable(String value) {
		return !value.chars().allMatch((c) -> c >= 0x20 && c < 0x7f);
	}

	// The request is sent as UTF-8, and an HTTP/1.1 server reads header bytes one character each.
	private static String asReceived(String sent) {
		return new String(sent.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
	}

	private static boolean failsFast(IsolationGroup group, FailFastServices failFast, String service) {
		return !group.isStable() && !group.equals(FEATURE_X) && failFast.contains(service);
	}

	private static String failure(String service, IsolationGroup group) {
		return "No instance of '" + service + "' in isolation group '" + group + "' and '" + service + "' is fail-fast";
	}

	private static boolean parsesTo(String value, FailFastServices expected) {
		List<TagRejection> rejections = new ArrayList<>();
		return FailFastServices.parse(value, rejections::add).equals(expected) && rejections.isEmpty();
	}

	private static boolean isPartOf(String value, FailFastServices accepted) {
		List<TagRejection> rejections = new ArrayList<>();
		FailFastServices read = FailFastServices.parse(value, rejections::add);
		return rejections.isEmpty() && !read.isEmpty() && accepted.union(read).equals(accepted);
	}

	private static String entryKey(String entry) {
		int end = entry.length();
		for (char separator : new char[] { '=', ';' }) {
			int at = entry.indexOf(separator);
			end = (at >= 0) ? Math.min(end, at) : end;
		}
		return entry.substring(0, end).strip();
	}

}
