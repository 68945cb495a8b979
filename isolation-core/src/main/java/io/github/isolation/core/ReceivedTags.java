package io.github.isolation.core;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The tags an instance accepts from a request: for each field the single header first, then
 * the entry of the W3C {@code baggage} header; a malformed value is reported and the other form
 * is tried. Every server side of the library reads
 * a request this way, so that what it accepts is also all that its tracing may see.
 *
 * @param group the group received, or {@code null} for none (an explicit {@code stable} is a group)
 * @param failFast the fail-fast list received, empty for none
 * @since 0.1.0
 */
public record ReceivedTags(IsolationGroup group, FailFastServices failFast) {

	/** A request without tags. */
	public static final ReceivedTags NONE = new ReceivedTags(null, FailFastServices.NONE);

	public ReceivedTags {
		failFast = (failFast != null) ? failFast : FailFastServices.NONE;
	}

	/**
	 * Reads the tags of a request.
	 * @param groupHeader the first {@value IsolationTags#GROUP} header, or {@code null}
	 * @param failFastHeader the first {@value IsolationTags#FAIL_FAST} header, or {@code null}
	 * @param baggage every {@code baggage} header value, asked for only when a single header
	 * gives nothing
	 * @param rejected told of every malformed value, with its field
	 * @return the tags accepted
	 */
	public static ReceivedTags read(String groupHeader, String failFastHeader, Supplier<List<String>> baggage,
			BiConsumer<String, TagRejection> rejected) {
		Consumer<TagRejection> groupRejected = (reason) -> rejected.accept(IsolationTags.GROUP, reason);
		IsolationGroup group = IsolationGroup.parse(groupHeader, groupRejected)
			.or(() -> IsolationGroup.parse(W3cBaggage.valueOf(baggage.get(), IsolationTags.GROUP, groupRejected),
					groupRejected))
			.orElse(null);
		Consumer<TagRejection> failFastRejected = (reason) -> rejected.accept(IsolationTags.FAIL_FAST, reason);
		FailFastServices failFast = FailFastServices.parse(failFastHeader, failFastRejected);
		if (failFast.isEmpty()) {
			failFast = FailFastServices
				.parse(W3cBaggage.valueOf(baggage.get(), IsolationTags.FAIL_FAST, failFastRejected), failFastRejected);
		}
		return (group == null && failFast.isEmpty()) ? NONE : new ReceivedTags(group, failFast);
	}

	/** @return the group's header value, or {@code null} for none */
	public String groupValue() {
		return (this.group != null) ? this.group.name() : null;
	}

	/** @return the fail-fast list's header value, or {@code null} for none */
	public String failFastValue() {
		return this.failFast.isEmpty() ? null : this.failFast.toHeaderValue();
	}

}
