package io.github.isolation.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.autoconfigure.edge.EdgeHeaders;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.ReceivedTags;
import io.github.isolation.core.W3cBaggage;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Reads the isolation tag of a received record, as a server reads a request's, and leaves on the
 * record only what it accepts.
 */
final class RecordTags {

	private RecordTags() {
	}

	/**
	 * Reads a record's tag: the {@value IsolationTags#GROUP} (and {@value IsolationTags#FAIL_FAST})
	 * header first, then the entry of the W3C {@code baggage} header; a malformed value is
	 * dropped and told to the listeners. Then leaves on the record only the tags accepted, as the
	 * single headers, so that nothing that reads the record after this (tracing's extraction for
	 * the listener's observation, the listener itself) can find a value refused here. A value
	 * malformed as the single header may read as a valid group in the W3C form
	 * ({@code feature-x;p}), so every isolation header and every isolation entry of a
	 * {@code baggage} header goes, in any case. A record without any is not touched.
	 * @param headers the record's headers, changed in place
	 * @param listeners told of every value dropped
	 * @return what was accepted
	 */
	static ReceivedTags acceptOnly(Headers headers, RoutingListeners listeners) {
		ReceivedTags accepted = ReceivedTags.read(value(headers.lastHeader(IsolationTags.GROUP)),
				value(headers.lastHeader(IsolationTags.FAIL_FAST)), () -> values(headers.headers(W3cBaggage.HEADER)),
				listeners::rejected);
		List<String> names = namesCarryingTags(headers);
		if (names.isEmpty()) {
			return accepted;
		}
		List<Header> rebuilt = new ArrayList<>(2);
		for (String name : names) {
			if (EdgeHeaders.isBaggageHeader(name)) {
				for (Header header : headers.headers(name)) {
					String rest = EdgeHeaders.withoutTags(value(header));
					if (rest != null) {
						rebuilt.add(new RecordHeader(name, rest.getBytes(StandardCharsets.UTF_8)));
					}
				}
			}
			headers.remove(name);
		}
		rebuilt.forEach(headers::add);
		if (accepted.group() != null) {
			headers.add(IsolationTags.GROUP, accepted.groupValue().getBytes(StandardCharsets.UTF_8));
		}
		if (!accepted.failFast().isEmpty()) {
			headers.add(IsolationTags.FAIL_FAST, accepted.failFastValue().getBytes(StandardCharsets.UTF_8));
		}
		return accepted;
	}

	private static List<String> namesCarryingTags(Headers headers) {
		List<String> names = List.of();
		for (Header header : headers) {
			String name = header.key();
			boolean tag = name.equalsIgnoreCase(IsolationTags.GROUP) || name.equalsIgnoreCase(IsolationTags.FAIL_FAST);
			if ((tag || (EdgeHeaders.isBaggageHeader(name) && hasTagEntry(value(header)))) && !names.contains(name)) {
				names = names.isEmpty() ? new ArrayList<>(2) : names;
				names.add(name);
			}
		}
		return names;
	}

	private static boolean hasTagEntry(String baggage) {
		return baggage != null && !baggage.equals(EdgeHeaders.withoutTags(baggage));
	}

	private static String value(Header header) {
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	private static List<String> values(Iterable<Header> headers) {
		List<String> values = new ArrayList<>();
		headers.forEach((header) -> {
			String value = value(header);
			if (value != null) {
				values.add(value);
			}
		});
		return values;
	}

}
