package io.github.isolation.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.IsolationTags;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link IsolationServiceInstanceListSupplier} reuses what it made for the call before when a
 * call looks the same; these tests show each call is still routed by its own tag.
 */
class IsolationServiceInstanceListSupplierRepeatTests {

	private static final String SERVICE = "inventory";

	private final ServiceInstance stable = instance("s1", "10.0.0.1", null);

	private final ServiceInstance featureX = instance("x1", "10.0.0.2", "feature-x");

	private final ServiceInstance featureY = instance("y1", "10.0.0.3", "feature-y");

	// One flux object for every call, as a caching delegate hands out.
	private final Flux<List<ServiceInstance>> replayed = Flux.just(List.of(this.stable, this.featureX, this.featureY));

	private final ServiceInstanceListSupplier delegate = new ServiceInstanceListSupplier() {

		@Override
		public String getServiceId() {
			return SERVICE;
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return IsolationServiceInstanceListSupplierRepeatTests.this.replayed;
		}

	};

	@Test
	void shouldRouteEveryCallByItsOwnHeadersWhenHeadersChangeFromCallToCall() {
		// given
		ServiceInstanceListSupplier supplier = new IsolationServiceInstanceListSupplier(this.delegate,
				() -> IsolationTag.UNTAGGED, router());

		// when
		List<ServiceInstance> x = first(supplier, request("feature-x", null));
		List<ServiceInstance> xAgain = first(supplier, request("feature-x", null));
		List<ServiceInstance> untagged = first(supplier, request(null, null));
		List<ServiceInstance> y = first(supplier, request("feature-y", null));
		List<ServiceInstance> malformed = first(supplier, request("Not A Group!", null));
		List<ServiceInstance> malformedAgain = first(supplier, request("Not A Group!", null));
		List<ServiceInstance> fallback = first(supplier, request("feature-z", null));

		// then
		assertThat(x).containsExactly(this.featureX);
		assertThat(xAgain).containsExactly(this.featureX);
		assertThat(untagged).containsExactly(this.stable);
		assertThat(y).containsExactly(this.featureY);
		assertThat(malformed).containsExactly(this.stable);
		assertThat(malformedAgain).containsExactly(this.stable);
		assertThat(fallback).containsExactly(this.stable);
		assertThatExceptionOfType(IsolationRoutingException.class)
			.isThrownBy(() -> first(supplier, request("feature-z", SERVICE)));
		assertThat(first(supplier, request("feature-z", null))).containsExactly(this.stable);
	}

	@Test
	void shouldFollowTheContextWhenTheHeadersStayTheSame() {
		// given
		AtomicReference<IsolationTag> context = new AtomicReference<>(IsolationTag.UNTAGGED);
		ServiceInstanceListSupplier supplier = new IsolationServiceInstanceListSupplier(this.delegate, context::get,
				router());
		Request<RequestDataContext> noGroupHeader = request(null, "billing");

		// when
		List<ServiceInstance> untagged = first(supplier, noGroupHeader);
		context.set(new IsolationTag(IsolationGroup.of("feature-y"), FailFastServices.NONE));
		List<ServiceInstance> fromBaggage = first(supplier, noGroupHeader);
		context.set(new IsolationTag(IsolationGroup.of("feature-z"), FailFastServices.of(List.of(SERVICE))));

		// then
		assertThat(untagged).containsExactly(this.stable);
		assertThat(fromBaggage).containsExactly(this.featureY);
		assertThatExceptionOfType(IsolationRoutingException.class).isThrownBy(() -> first(supplier, noGroupHeader))
			.withMessageContaining("'feature-z'");
	}

	private static ServiceInstanceRouter router() {
		return new ServiceInstanceRouter(new ServiceInstanceGroupResolver(GroupBindings.NONE), FailFastServices.NONE);
	}

	private static List<ServiceInstance> first(ServiceInstanceListSupplier supplier, Request<?> request) {
		return supplier.get(request).blockFirst();
	}

	private static Request<RequestDataContext> request(String group, String failFast) {
		return TaggedRequests.to(SERVICE, group, failFast);
	}

	private static ServiceInstance instance(String id, String host, String group) {
		Map<String, String> metadata = new HashMap<>();
		if (group != null) {
			metadata.put(IsolationTags.METADATA_GROUP, group);
		}
		return new DefaultServiceInstance(id, SERVICE, host, 8080, false, metadata);
	}

}
