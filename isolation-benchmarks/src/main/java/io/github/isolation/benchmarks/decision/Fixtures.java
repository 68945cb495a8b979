package io.github.isolation.benchmarks.decision;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.isolation.autoconfigure.BaggageIsolationContext;
import io.github.isolation.autoconfigure.IsolationServiceInstanceListSupplier;
import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.autoconfigure.ServiceInstanceGroupResolver;
import io.github.isolation.autoconfigure.ServiceInstanceRouter;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRouter;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.RouteDecision;
import io.micrometer.tracing.Tracer;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.HintBasedServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

/**
 * What the decision benchmarks share: instance lists spread over groups, requests tagged the
 * way each supplier reads them, and the three suppliers over the same delegate.
 */
public final class Fixtures {

	/** The service every benchmark calls. */
	public static final String SERVICE = "inventory";

	/** Spring Cloud's hint supplier reads this metadata key. */
	public static final String HINT_METADATA = "hint";

	/** Spring Cloud's default hint header. */
	public static final String HINT_HEADER = "X-SC-LB-Hint";

	private Fixtures() {
	}

	/** The supplier under test. */
	public enum SupplierKind {

		/** This library's supplier. */
		ISOLATION,

		/** A supplier that forwards its delegate's list: the floor. */
		PASSTHROUGH,

		/** Spring Cloud's {@code HintBasedServiceInstanceListSupplier}. */
		HINT,

		/**
		 * A supplier that maps its delegate's list to itself: the floor for any supplier that
		 * looks at the list, since it must add an operator to the delegate's flux.
		 */
		MAPPING,

		/**
		 * This library's supplier with the rule applied to the whole list on every call, as
		 * before the index: the "before" of the index's "after".
		 */
		SCAN

	}

	/** What the request asks for. */
	public enum RequestKind {

		/**
		 * Tagged with a group that has instances ({@code g1}); with a single group every instance
		 * is stable, so this falls back like {@link #FALLBACK}.
		 */
		OWN,

		/** Tagged with a group that has no instance. */
		FALLBACK,

		/** No tag at all. */
		UNTAGGED

	}

	/** How the delegate hands out its list. */
	public enum Lists {

		/** The same list object on every call, as Spring Cloud's caching supplier does. */
		SAME,

		/**
		 * Another list object of the same instances on every call, as a supplier that filters or
		 * copies per call (zone preference) hands over.
		 */
		NEW,

		/**
		 * Another list of other, equal instance objects on every call, as a discovery client
		 * that builds its instances anew for each call hands over with no caching in the chain.
		 */
		NEW_INSTANCES

	}

	/**
	 * {@code count} instances, the i-th in group {@code i % groups}: group 0 is stable, the others
	 * {@code g1}, {@code g2} and so on. Each carries its group both where this library reads it
	 * and where the hint supplier does.
	 * @param count the number of instances
	 * @param groups the number of groups
	 * @return the instances
	 */
	public static List<ServiceInstance> instances(int count, int groups) {
		List<ServiceInstance> instances = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			String group = groupName(i % groups);
			Map<String, String> metadata = new HashMap<>();
			metadata.put("zone", "zone-" + (i % 3));
			metadata.put(HINT_METADATA, group);
			if (!IsolationGroup.STABLE_NAME.equals(group)) {
				metadata.put(IsolationTags.METADATA_GROUP, group);
			}
			instances.add(new DefaultServiceInstance(SERVICE + "-" + i, SERVICE, "10." + (i >> 16) + "."
					+ ((i >> 8) & 0xff) + "." + (i & 0xff), 8080, false, metadata));
		}
		return instances;
	}

	/**
	 * The name of the group with an index.
	 * @param index the index
	 * @return {@code stable} for 0, else {@code g<index>}
	 */
	public static String groupName(int index) {
		return (index == 0) ? IsolationGroup.STABLE_NAME : "g" + index;
	}

	/**
	 * A request as a load-balanced client builds it, carrying the group both as this library's
	 * header and as the hint header.
	 * @param kind what the request asks for
	 * @return the request
	 */
	public static Request<RequestDataContext> request(RequestKind kind) {
		HttpHeaders headers = new HttpHeaders();
		String group = switch (kind) {
			case OWN -> "g1";
			case FALLBACK -> "absent";
			case UNTAGGED -> null;
		};
		if (group != null) {
			headers.add(IsolationTags.GROUP, group);
			headers.add(HINT_HEADER, group);
		}
		RequestData data = new RequestData(HttpMethod.GET, URI.create("http://" + SERVICE + "/items"), headers,
				new LinkedMultiValueMap<>(), new HashMap<>());
		return new DefaultRequest<>(new RequestDataContext(data));
	}

	/**
	 * The delegate: it hands out fixed lists, without allocating, the same one each time or two
	 * in turn (of the same instances, or of equal instances built anew).
	 * @param count the number of instances, as {@link #instances(int, int)} builds them
	 * @param groups the number of groups they are spread over
	 * @param lists the same list object each time, or a new one
	 * @return the delegate
	 */
	public static ServiceInstanceListSupplier delegate(int count, int groups, Lists lists) {
		List<ServiceInstance> instances = instances(count, groups);
		// Built by the same code, as a discovery client builds each list: copying the metadata
		// maps instead would give them smaller tables, where another key can share a bucket with
		// the one a supplier reads, and measure that rather than the supplier.
		List<ServiceInstance> other = (lists == Lists.NEW_INSTANCES) ? instances(count, groups) : instances;
		return new FixedSupplier(instances, other, lists != Lists.SAME);
	}

	/**
	 * One of the suppliers under test over a delegate.
	 * @param kind which supplier
	 * @param delegate the delegate
	 * @return the supplier
	 */
	public static ServiceInstanceListSupplier supplier(SupplierKind kind, ServiceInstanceListSupplier delegate) {
		return switch (kind) {
			case ISOLATION -> new IsolationServiceInstanceListSupplier(delegate,
					new BaggageIsolationContext(Tracer.NOOP, () -> IsolationGroup.STABLE),
					new ServiceInstanceRouter(new ServiceInstanceGroupResolver(GroupBindings.NONE), FailFastServices.NONE));
			case PASSTHROUGH -> new PassthroughSupplier(delegate);
			case HINT -> new HintBasedServiceInstanceListSupplier(delegate, new PropertiesOnlyFactory());
			case MAPPING -> new MappingSupplier(delegate);
			case SCAN -> new IsolationServiceInstanceListSupplier(delegate,
					new BaggageIsolationContext(Tracer.NOOP, () -> IsolationGroup.STABLE), new ScanningRouter());
		};
	}

	/** Decides by scanning the whole list on every call, as the router did before the index. */
	static final class ScanningRouter extends ServiceInstanceRouter {

		private final ServiceInstanceGroupResolver resolver = new ServiceInstanceGroupResolver(GroupBindings.NONE);

		ScanningRouter() {
			super(new ServiceInstanceGroupResolver(GroupBindings.NONE), FailFastServices.NONE);
		}

		@Override
		public RouteDecision<ServiceInstance> decide(String serviceId, IsolationTag tag,
				List<ServiceInstance> instances) {
			return IsolationRouter.route(serviceId, tag.group(), tag.failFast(), instances, this.resolver);
		}

	}

	/** Hands out fixed lists. */
	static final class FixedSupplier implements ServiceInstanceListSupplier {

		private final Flux<List<ServiceInstance>> first;

		private final Flux<List<ServiceInstance>> second;

		private final boolean alternate;

		private int calls;

		FixedSupplier(List<ServiceInstance> instances, List<ServiceInstance> other, boolean alternate) {
			// Two lists made here, not per call: making a list is the delegate's cost, whichever
			// supplier sits on top, so it is left out of every measurement.
			this.first = Flux.just(List.copyOf(instances));
			this.second = Flux.just(List.copyOf(other));
			this.alternate = alternate;
		}

		@Override
		public String getServiceId() {
			return SERVICE;
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			// Not thread-safe on purpose: JMH drives each state from one thread.
			return (this.alternate && (this.calls++ & 1) == 1) ? this.second : this.first;
		}

	}

	/** Forwards the delegate's list as it is. */
	static final class PassthroughSupplier extends DelegatingServiceInstanceListSupplier {

		PassthroughSupplier(ServiceInstanceListSupplier delegate) {
			super(delegate);
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return this.delegate.get();
		}

		@Override
		public Flux<List<ServiceInstance>> get(Request request) {
			return this.delegate.get(request);
		}

	}

	/** Maps the delegate's list to itself. */
	static final class MappingSupplier extends DelegatingServiceInstanceListSupplier {

		MappingSupplier(ServiceInstanceListSupplier delegate) {
			super(delegate);
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return this.delegate.get().map((list) -> list);
		}

		@Override
		public Flux<List<ServiceInstance>> get(Request request) {
			return this.delegate.get(request).map((list) -> list);
		}

	}

	/** What the hint supplier asks its factory for: the properties, with the default hint header. */
	static final class PropertiesOnlyFactory implements ReactiveLoadBalancer.Factory<ServiceInstance> {

		private final LoadBalancerProperties properties = new LoadBalancerProperties();

		@Override
		public LoadBalancerProperties getProperties(String serviceId) {
			return this.properties;
		}

		@Override
		public ReactiveLoadBalancer<ServiceInstance> getInstance(String serviceId) {
			throw new UnsupportedOperationException();
		}

		@Override
		public <X> Map<String, X> getInstances(String name, Class<X> type) {
			throw new UnsupportedOperationException();
		}

		@Override
		public <X> X getInstance(String name, Class<?> clazz, Class<?>... generics) {
			throw new UnsupportedOperationException();
		}

	}

}
