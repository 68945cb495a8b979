package io.github.isolation.autoconfigure;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.IsolationTags;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.http.HttpHeaders;

/**
 * Keeps only the instances that the request's isolation group may reach, from whatever its
 * delegate supplies (discovery, caching, health checks, zone preference, a custom supplier).
 * The request's group is read from the outgoing request's {@value IsolationTags#GROUP} header,
 * else from the current {@link IsolationContext} (tracing baggage, then this instance's group).
 *
 * <p>Fallback: a request whose group has no instance of the service gets the stable instances.
 * When there are none, or the service is fail-fast for the request, the supplied flux fails
 * with an {@link IsolationRoutingException} that says why; it never supplies an empty list and
 * never falls back to instances of another group.
 *
 * @since 0.1.0
 */
public class IsolationServiceInstanceListSupplier extends DelegatingServiceInstanceListSupplier {

	private final IsolationContext context;

	private final ServiceInstanceRouter router;

	// The last routed flux and the last tag read from headers, so that a call like the one before
	// it (the usual case: a caching delegate replays one flux, most requests carry the same
	// tag) allocates neither again. One entry each: a miss costs what no memo would.
	private volatile Routed lastRouted;

	private volatile HeaderTag lastHeaderTag;

	/**
	 * Creates the supplier.
	 * @param delegate the supplier whose instances are filtered
	 * @param context the tag of the current request
	 * @param router the routing rule over Spring Cloud's instances
	 */
	public IsolationServiceInstanceListSupplier(ServiceInstanceListSupplier delegate, IsolationContext context,
			ServiceInstanceRouter router) {
		super(delegate);
		this.context = context;
		this.router = router;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return route(this.delegate.get(), this.context.current());
	}

	@Override
	public Flux<List<ServiceInstance>> get(Request request) {
		return route(this.delegate.get(request), tagOf(request));
	}

	// The tag is read here, on the caller's thread, where the baggage is current; the delegate's
	// flux may emit on another thread.
	private Flux<List<ServiceInstance>> route(Flux<List<ServiceInstance>> instances, IsolationTag tag) {
		// A flux is an immutable recipe, so one mapped for the same source and tag can be
		// subscribed again, from any thread; each subscription still asks the router.
		Routed last = this.lastRouted;
		if (last != null && last.source() == instances && last.tag().equals(tag)) {
			return last.routed();
		}
		String serviceId = getServiceId();
		Flux<List<ServiceInstance>> routed = instances.map((list) -> this.router.choose(serviceId, tag, list));
		this.lastRouted = new Routed(instances, tag, routed);
		return routed;
	}

	private IsolationTag tagOf(Request<?> request) {
		IsolationTag current = this.context.current();
		if (!(request.getContext() instanceof RequestDataContext dataContext)
				|| dataContext.getClientRequest() == null) {
			return current;
		}
		HttpHeaders headers = dataContext.getClientRequest().getHeaders();
		if (headers == null) {
			return current;
		}
		String rawGroup = headers.getFirst(IsolationTags.GROUP);
		String rawFailFast = headers.getFirst(IsolationTags.FAIL_FAST);
		if (rawGroup == null && rawFailFast == null) {
			return current;
		}
		HeaderTag last = this.lastHeaderTag;
		if (last != null && last.matches(current, rawGroup, rawFailFast)) {
			return last.tag();
		}
		boolean[] rejected = { false };
		Optional<IsolationGroup> parsed = IsolationGroup.parse(rawGroup);
		IsolationGroup group = parsed.orElse(current.group());
		FailFastServices failFast = FailFastServices.parse(rawFailFast, (rejection) -> rejected[0] = true);
		IsolationTag tag = new IsolationTag(group, current.failFast().union(failFast));
		// Only a clean read is remembered, so that a malformed value is looked at on every call.
		if (!rejected[0] && (rawGroup == null || parsed.isPresent())) {
			this.lastHeaderTag = new HeaderTag(current, rawGroup, rawFailFast, tag);
		}
		return tag;
	}

	private record Routed(Flux<List<ServiceInstance>> source, IsolationTag tag, Flux<List<ServiceInstance>> routed) {
	}

	private record HeaderTag(IsolationTag current, String rawGroup, String rawFailFast, IsolationTag tag) {

		boolean matches(IsolationTag otherCurrent, String otherRawGroup, String otherRawFailFast) {
			return Objects.equals(this.rawGroup, otherRawGroup) && Objects.equals(this.rawFailFast, otherRawFailFast)
					&& this.current.equals(otherCurrent);
		}

	}

}
