package io.github.isolation.autoconfigure.reactive;

import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.autoconfigure.RouteHeader;
import io.github.isolation.core.IsolationTags;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Puts the isolation tag on a {@code WebClient} call as the {@value IsolationTags#GROUP} and
 * {@value IsolationTags#FAIL_FAST} headers. Added first to the filters of every
 * {@code @LoadBalanced WebClient.Builder}, before Spring Cloud's load-balancer filter, so that
 * the load balancer finds the tag in the request data, and so that the next hop receives it even
 * from a client that tracing does not instrument or an unsampled trace.
 *
 * <p>The tag is, first match wins:
 * <ol>
 * <li>the one chosen for the pipeline with {@link IsolationReactorContext}: it replaces every tag
 * the request carries, including those tracing already wrote from the baggage;</li>
 * <li>the tag of the WebFlux request being served, as {@link IsolationHttpHandlerDecorator} took
 * it;</li>
 * <li>the {@link IsolationContext}: the tracing baggage, read with the Reactor context's thread
 * locals restored through Micrometer's context propagation, so that it is found whether or not
 * automatic context propagation is on; else this instance's own group.</li>
 * </ol>
 * In the last two cases a tag header the request already has (set by the caller, or by tracing
 * from the same baggage) is left alone.
 *
 * <p>With {@code isolation.debug.route-header=true}, the {@value RouteHeader#NAME} header of the
 * response is handed to the {@link RouteHeaderWebFilter} of the request being served.
 *
 * @since 0.1.0
 */
public class IsolationExchangeFilterFunction implements ExchangeFilterFunction {

	private final IsolationContext context;

	private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

	/**
	 * Creates the filter.
	 * @param context the tag of the current request, read on a thread where its baggage is current
	 */
	public IsolationExchangeFilterFunction(IsolationContext context) {
		this.context = context;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.deferContextual(
				(view) -> RouteHeaderWebFilter.recordingRoute(next.exchange(tagged(request, view)), view));
	}

	private ClientRequest tagged(ClientRequest request, ContextView view) {
		IsolationTag explicit = IsolationReactorContext.tag(view).orElse(null);
		if (explicit != null) {
			return replaced(request, explicit);
		}
		IsolationTag tag = IsolationReactorContext.requestTag(view).orElseGet(() -> current(view));
		HttpHeaders headers = request.headers();
		boolean group = !tag.group().isStable() && headers.getFirst(IsolationTags.GROUP) == null;
		boolean failFast = !tag.failFast().isEmpty() && headers.getFirst(IsolationTags.FAIL_FAST) == null;
		if (!group && !failFast) {
			return request;
		}
		return ClientRequest.from(request).headers((tagged) -> {
			if (group) {
				tagged.set(IsolationTags.GROUP, tag.group().name());
			}
			if (failFast) {
				tagged.set(IsolationTags.FAIL_FAST, tag.failFast().toHeaderValue());
			}
		}).build();
	}

	// Stable is written too, so that the next hop does not take its own group instead.
	private static ClientRequest replaced(ClientRequest request, IsolationTag tag) {
		String group = tag.group().name();
		String failFast = tag.failFast().isEmpty() ? null : tag.failFast().toHeaderValue();
		HttpHeaders received = request.headers();
		if (TagHeaders.carryOnly(received, group, failFast)) {
			return request;
		}
		return ClientRequest.from(request)
			.headers((headers) -> TagHeaders.replace(headers, received, group, failFast))
			.build();
	}

	private IsolationTag current(ContextView view) {
		try (ContextSnapshot.Scope scope = this.snapshots.setThreadLocalsFrom(view)) {
			return this.context.current();
		}
	}

}
