package io.github.isolation.autoconfigure;

import java.util.function.BiConsumer;
import java.util.function.Predicate;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;

/**
 * The isolation tag of the current request: its group and the services it must not fall back
 * for.
 *
 * @param group the request's group, {@link IsolationGroup#STABLE} when untagged
 * @param failFast the services carried with the request that must not fall back
 * @since 0.1.0
 */
public record IsolationTag(IsolationGroup group, FailFastServices failFast) {

	/** An untagged request. */
	public static final IsolationTag UNTAGGED = new IsolationTag(IsolationGroup.STABLE, FailFastServices.NONE);

	/**
	 * Whether the tag must travel to the next hop: a stable request without a fail-fast list
	 * is the same as no tag at all.
	 * @return {@code true} if the tag says something
	 */
	public boolean isPropagated() {
		return !this.group.isStable() || !this.failFast.isEmpty();
	}

	/**
	 * Writes this tag as headers of an outgoing request, leaving alone a header the request
	 * already has (set by the caller on purpose, or by tracing instrumentation from the same
	 * baggage). Clients call this before the load balancer chooses, so that it finds the tag in
	 * the request data, and so that the next hop receives it even where tracing does not
	 * instrument the client or the trace is not sampled.
	 * @param hasHeader whether the request already has a header
	 * @param setHeader sets a header on the request
	 */
	public void writeHeaders(Predicate<String> hasHeader, BiConsumer<String, String> setHeader) {
		if (!this.group.isStable() && !hasHeader.test(IsolationTags.GROUP)) {
			setHeader.accept(IsolationTags.GROUP, this.group.name());
		}
		if (!this.failFast.isEmpty() && !hasHeader.test(IsolationTags.FAIL_FAST)) {
			setHeader.accept(IsolationTags.FAIL_FAST, this.failFast.toHeaderValue());
		}
	}

}
