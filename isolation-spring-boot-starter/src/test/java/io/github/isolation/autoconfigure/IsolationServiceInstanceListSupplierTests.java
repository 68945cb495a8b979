package io.github.isolation.autoconfigure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.RouteOutcome;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultRequestContext;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.loadbalancer.core.SelectedInstanceCallback;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link IsolationServiceInstanceListSupplier}.
 */
class IsolationServiceInstanceListSupplierTests {

	private static final String SERVICE = "inventory";

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	private final ServiceInstance stable1 = instance("stable-1", "10.0.0.1", null);

	private final ServiceInstance stable2 = instance("stable-2", "10.0.0.2", "stable");

	private final ServiceInstance featureX1 = instance("feature-x-1", "10.0.0.3", "feature-x");

	private final ServiceInstance featureX2 = instance("feature-x-2", "10.0.0.4", "feature-x");

	private final ServiceInstance featureY1 = instance("feature-y-1", "10.0.0.5", "feature-y");

	private final List<ServiceInstance> everyGroup = List.of(this.stable1, this.featureX1, this.featureY1, this.stable2,
			this.featureX2);

	@Test
	void shouldKeepOnlyTheInstancesOfTheRequestsOwnGroup() {
		// given
		ServiceInstanceListSupplier supplier = isolating(this.everyGroup, IsolationContexts.UNTAGGED, router());

		// when
		List<ServiceInstance> instances = supplier.get(requestWithHeaders(FEATURE_X.name(), null)).blockFirst();

		// then
		assertThat(instances).containsExactly(this.featureX1, this.featureX2);
	}

	@Test
	void shouldKeepOnlyStableInstancesForAnUntaggedRequest() {
		// given
		ServiceInstanceListSupplier supplier = isolating(this.everyGroup, IsolationContexts.UNTAGGED, router());

		// when
		List<ServiceInstance> instances = supplier.get(requestWithHeaders(null, null)).blockFirst();

		// then
		assertThat(instances).containsExactly(this.stable1, this.stable2);
	}

	@Test
	void shouldFallBackToStableWhenTheRequestsGroupHasNoInstance() {
		// given
		ServiceInstanceListSupplier supplier = isolating(List.of(this.stable1, this.featureY1, this.stable2),
				IsolationContexts.UNTAGGED, router());

		// when
		List<ServiceInstance> instances = supplier.get(requestWithHeaders(FEATURE_X.name(), null)).blockFirst();

		// then
		assertThat(instances).containsExactly(this.stable1, this.stable2);
	}

	@Test
	void shouldFailFastNamingTheServiceWhenTheGroupHasNoInstanceAndTheServiceIsFailFast() {
		// given
		ServiceInstanceListSupplier supplier = isolating(List.of(this.stable1, this.featureY1),
				IsolationContexts.UNTAGGED, router());
		Request<RequestDataContext> request = requestWithHeaders(FEATURE_X.name(), SERVICE);

		// when
		Flux<List<ServiceInstance>> instances = supplier.get(request);

		// then
		assertThatExceptionOfType(IsolationRoutingException.class).isThrownBy(instances::blockFirst)
			.withMessageContaining("'" + SERVICE + "'")
			.withMessageContaining("'feature-x'")
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(RouteOutcome.FAIL_FAST))
			.satisfies((ex) -> assertThat(ex.getServiceId()).isEqualTo(SERVICE));
	}

	@Test
	void shouldFailNamingTheServiceWhenNeitherTheGroupNorStableHasAnInstance() {
		// given
		ServiceInstanceListSupplier supplier = isolating(List.of(this.featureY1), IsolationContexts.UNTAGGED,
				router());

		// when
		Flux<List<ServiceInstance>> instances = supplier.get(requestWithHeaders(FEATURE_X.name(), null));

		// then
		assertThatExceptionOfType(IsolationRoutingException.class).isThrownBy(instances::blockFirst)
			.withMessageContaining("'" + SERVICE + "'")
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(RouteOutcome.NO_INSTANCE))
			.satisfies((ex) -> assertThat(ex.getAvailableGroups()).containsExactly(FEATURE_Y));
	}

	@Test
	void shouldFailRatherThanSupplyAnEmptyListWhenDiscoveryReturnsNoInstance() {
		// given
		ServiceInstanceListSupplier supplier = isolating(List.of(), IsolationContexts.UNTAGGED, router());

		// when
		Flux<List<ServiceInstance>> instances = supplier.get(requestWithHeaders(null, null));

		// then
		assertThatExceptionOfType(IsolationRoutingException.class).isThrownBy(instances::blockFirst)
			.withMessageContaining("'" + SERVICE + "'")
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(RouteOutcome.NO_INSTANCE));
	}

	@Test
	void shouldPreferTheGroupInTheRequestHeaderOverTheContext() {
		// given
		ServiceInstanceListSupplier supplier = isolating(this.everyGroup, IsolationContexts.of(FEATURE_Y), router());

		// when
		List<ServiceInstance> instances = supplier.get(requestWithHeaders(FEATURE_X.name(), null)).blockFirst();

		// then
		assertThat(instances).containsExactly(this.featureX1, this.featureX2);
	}

	@Test
	void shouldLetAStableRequestHeaderWinOverANonStableContext() {
		// given
		ServiceInstanceListSupplier supplier = isolating(this.everyGroup, IsolationContexts.of(FEATURE_Y), router());

		// when
		List<ServiceInstance> instances = supplier.get(requestWithHeaders("stable", null)).blockFirst();

		// then
		assertThat(instances).containsExactly(this.stable1, this.stable2);
	}

	@Test
	void shouldUseTheContextsGroupWhenTheRequestHeaderIsMalformed() {
		// given
		ServiceInstanceListSupplier supplier = isolating(this.everyGroup, IsolationContexts.of(FEATURE_Y), router());

		// when
		List<ServiceInstance> instances = supplier.get(requestWithHeaders("Feature X!\r\n", null)).blockFirst();

		// then
		assertThat(instances).containsExactly(this.featureY1);
	}

	@Test
	void shouldUseTheContextsGroupWhenTheRequestHasNoGroupHeader() {
		// given
		ServiceInstanceListSupplier supplier = isolating(this.everyGroup, IsolationContexts.of(FEATURE_Y), router());

		// when
		List<ServiceInstance> instances = supplier.get(requestWithHeaders(null, null)).blockFirst();

		// then
		assertThat(instances).containsExactly(this.featureY1);
	}

	@Test
	void shouldUnionTheFailFastHeaderWithTheConfiguredFailFast() {
		// given
		ServiceInstanceRouter router = router("billing");
		List<ServiceInstance> stableOnly = List.of(this.stable1);
		ServiceInstanceListSupplier inventory = isolating("inventory", stableOnly, IsolationContexts.UNTAGGED, router);
		ServiceInstanceListSupplier billing = isolating("billing", stableOnly, IsolationContexts.UNTAGGED, router);
		ServiceInstanceListSupplier catalog = isolating("catalog", stableOnly, IsolationContexts.UNTAGGED, router);
		Request<RequestDataContext> request = requestWithHeaders(FEATURE_X.name(), "inventory");

		// when
		Flux<List<ServiceInstance>> toInventory = inventory.get(request);
		Flux<List<ServiceInstance>> toBilling = billing.get(request);
		List<ServiceInstance> toCatalog = catalog.get(request).blockFirst();

		// then
		assertThatExceptionOfType(IsolationRoutingException.class).isThrownBy(toInventory::blockFirst)
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(RouteOutcome.FAIL_FAST))
			.withMessageContaining("'inventory'");
		assertThatExceptionOfType(IsolationRoutingException.class).isThrownBy(toBilling::blockFirst)
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(RouteOutcome.FAIL_FAST))
			.withMessageContaining("'billing'");
		assertThat(toCatalog).containsExactly(this.stable1);
	}

	@Test
	void shouldUnionTheFailFastHeaderWithTheContextsFailFast() {
		// given
		IsolationContext context = () -> new IsolationTag(FEATURE_X, FailFastServices.of(List.of("billing")));
		List<ServiceInstance> stableOnly = List.of(this.stable1);
		ServiceInstanceListSupplier inventory = isolating("inventory", stableOnly, context, router());
		ServiceInstanceListSupplier billing = isolating("billing", stableOnly, context, router());
		Request<RequestDataContext> request = requestWithHeaders(null, "inventory");

		// when
		Flux<List<ServiceInstance>> toInventory = inventory.get(request);
		Flux<List<ServiceInstance>> toBilling = billing.get(request);

		// then
		assertThatExceptionOfType(IsolationRoutingException.class).isThrownBy(toInventory::blockFirst)
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(RouteOutcome.FAIL_FAST));
		assertThatExceptionOfType(IsolationRoutingException.class).isThrownBy(toBilling::blockFirst)
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(RouteOutcome.FAIL_FAST));
	}

	@Test
	void shouldNotFailFastAnUntaggedRequestThatListsTheService() {
		// given
		ServiceInstanceListSupplier supplier = isolating(List.of(this.stable1, this.featureX1),
				IsolationContexts.UNTAGGED, router(SERVICE));

		// when
		List<ServiceInstance> instances = supplier.get(requestWithHeaders(null, SERVICE)).blockFirst();

		// then
		assertThat(instances).containsExactly(this.stable1);
	}

	@Test
	void shouldUseTheContextWhenCalledWithoutARequest() {
		// given
		ServiceInstanceListSupplier supplier = isolating(this.everyGroup, IsolationContexts.of(FEATURE_X), router());

		// when
		List<ServiceInstance> instances = supplier.get().blockFirst();

		// then
		assertThat(instances).containsExactly(this.featureX1, this.featureX2);
	}

	@Test
	void shouldUseTheContextWhenTheRequestCarriesNoRequestData() {
		// given
		ServiceInstanceListSupplier supplier = isolating(this.everyGroup, IsolationContexts.of(FEATURE_X), router());

		// when
		List<ServiceInstance> withOtherContext = supplier.get(new DefaultRequest<>(new DefaultRequestContext()))
			.blockFirst();
		List<ServiceInstance> withoutClientRequest = supplier.get(new DefaultRequest<>(new RequestDataContext()))
			.blockFirst();

		// then
		assertThat(withOtherContext).containsExactly(this.featureX1, this.featureX2);
		assertThat(withoutClientRequest).containsExactly(this.featureX1, this.featureX2);
	}

	@Test
	void shouldReadTheTagWhenTheInstancesAreAskedForNotWhenTheyArrive() {
		// given
		AtomicReference<IsolationTag> current = new AtomicReference<>(
				new IsolationTag(FEATURE_X, FailFastServices.NONE));
		ServiceInstanceListSupplier supplier = isolating(this.everyGroup, current::get, router());
		Flux<List<ServiceInstance>> instances = supplier.get();

		// when
		current.set(IsolationTag.UNTAGGED);

		// then
		assertThat(instances.blockFirst()).containsExactly(this.featureX1, this.featureX2);
	}

	@Test
	void shouldFilterEveryListTheDelegateEmits() {
		// given
		ServiceInstanceListSupplier delegate = new FixedSupplier(SERVICE,
				List.of(List.of(this.stable1, this.featureX1), List.of(this.stable2)));
		ServiceInstanceListSupplier supplier = new IsolationServiceInstanceListSupplier(delegate,
				IsolationContexts.of(FEATURE_X), router());

		// when
		List<List<ServiceInstance>> emitted = supplier.get().collectList().block();

		// then
		assertThat(emitted).containsExactly(List.of(this.featureX1), List.of(this.stable2));
	}

	@Test
	void shouldForwardTheServiceIdTheSelectionAndTheLifecycleToTheDelegate() throws Exception {
		// given
		FixedSupplier delegate = new FixedSupplier("billing", List.of(List.of(this.stable1)));
		IsolationServiceInstanceListSupplier supplier = new IsolationServiceInstanceListSupplier(delegate,
				IsolationContexts.UNTAGGED, router());

		// when
		supplier.selectedServiceInstance(this.stable1);
		supplier.afterPropertiesSet();
		supplier.destroy();

		// then
		assertThat(supplier.getServiceId()).isEqualTo("billing");
		assertThat(supplier.getDelegate()).isSameAs(delegate);
		assertThat(delegate.events).containsExactly("selected stable-1", "afterPropertiesSet", "destroy");
	}

	@Test
	void shouldTreatAnInstanceWithoutMetadataAsStable() {
		// given
		ServiceInstance nullMetadata = new DefaultServiceInstance("null-metadata", SERVICE, "10.0.1.1", 8080, false,
				null);
		ServiceInstance emptyMetadata = new DefaultServiceInstance("empty-metadata", SERVICE, "10.0.1.2", 8080, false);
		ServiceInstanceListSupplier supplier = isolating(List.of(nullMetadata, this.featureY1, emptyMetadata),
				IsolationContexts.UNTAGGED, router());

		// when
		List<ServiceInstance> untagged = supplier.get(requestWithHeaders(null, null)).blockFirst();
		List<ServiceInstance> tagged = supplier.get(requestWithHeaders(FEATURE_X.name(), null)).blockFirst();

		// then
		assertThat(untagged).containsExactly(nullMetadata, emptyMetadata);
		assertThat(tagged).containsExactly(nullMetadata, emptyMetadata);
	}

	@Test
	void shouldTreatAnInstanceWithMalformedGroupMetadataAsStable() {
		// given
		ServiceInstance malformed = instance("malformed", "10.0.1.3", "Feature X");
		ServiceInstanceListSupplier supplier = isolating(List.of(malformed, this.featureX1),
				IsolationContexts.UNTAGGED, router());

		// when
		List<ServiceInstance> instances = supplier.get(requestWithHeaders(null, null)).blockFirst();

		// then
		assertThat(instances).containsExactly(malformed);
	}

	@Test
	void shouldLetABindingWinOverTheMetadata() {
		// given
		MapGroupBindings bindings = new MapGroupBindings();
		bindings.bind(SERVICE, "10.0.0.1", 8080, FEATURE_X);
		bindings.bind(SERVICE, "10.0.0.3", 8080, IsolationGroup.STABLE);
		ServiceInstanceRouter router = new ServiceInstanceRouter(new ServiceInstanceGroupResolver(bindings),
				FailFastServices.NONE);
		ServiceInstanceListSupplier supplier = isolating(this.everyGroup, IsolationContexts.UNTAGGED, router);

		// when
		List<ServiceInstance> featureX = supplier.get(requestWithHeaders(FEATURE_X.name(), null)).blockFirst();
		List<ServiceInstance> untagged = supplier.get(requestWithHeaders(null, null)).blockFirst();

		// then
		assertThat(featureX).containsExactly(this.stable1, this.featureX2);
		assertThat(untagged).containsExactly(this.featureX1, this.stable2);
	}

	private static ServiceInstanceRouter router(String... configuredFailFast) {
		return new ServiceInstanceRouter(new ServiceInstanceGroupResolver(GroupBindings.NONE),
				FailFastServices.of(List.of(configuredFailFast)));
	}

	private static ServiceInstanceListSupplier isolating(List<ServiceInstance> instances, IsolationContext context,
			ServiceInstanceRouter router) {
		return isolating(SERVICE, instances, context, router);
	}

	private static ServiceInstanceListSupplier isolating(String serviceId, List<ServiceInstance> instances,
			IsolationContext context, ServiceInstanceRouter router) {
		ServiceInstanceListSupplier delegate = ServiceInstanceListSuppliers.from(serviceId,
				instances.toArray(new ServiceInstance[0]));
		return new IsolationServiceInstanceListSupplier(delegate, context, router);
	}

	private static Request<RequestDataContext> requestWithHeaders(String group, String failFast) {
		return TaggedRequests.to(SERVICE, group, failFast);
	}

	private static ServiceInstance instance(String id, String host, String group) {
		Map<String, String> metadata = new HashMap<>();
		metadata.put("zone", "zone-a");
		if (group != null) {
			metadata.put(IsolationTags.METADATA_GROUP, group);
		}
		return new DefaultServiceInstance(id, SERVICE, host, 8080, false, metadata);
	}

	/** Contexts that always answer the same tag. */
	static final class IsolationContexts {

		static final IsolationContext UNTAGGED = () -> IsolationTag.UNTAGGED;

		private IsolationContexts() {
		}

		static IsolationContext of(IsolationGroup group) {
			IsolationTag tag = new IsolationTag(group, FailFastServices.NONE);
			return () -> tag;
		}

	}

	/** Bindings held in a map, as the ZooKeeper cache holds them in memory. */
	static final class MapGroupBindings implements GroupBindings {

		private final Map<String, IsolationGroup> instances = new HashMap<>();

		void bind(String serviceId, String host, int port, IsolationGroup group) {
			this.instances.put(serviceId + "/" + host + ":" + port, group);
		}

		@Override
		public Optional<IsolationGroup> instanceGroup(String serviceId, String host, int port) {
			return Optional.ofNullable(this.instances.get(serviceId + "/" + host + ":" + port));
		}

		@Override
		public Optional<IsolationGroup> sourceGroup(String address) {
			return Optional.empty();
		}

	}

	/** A delegate that emits fixed lists and records what it is told. */
	static final class FixedSupplier
			implements ServiceInstanceListSupplier, SelectedInstanceCallback, InitializingBean, DisposableBean {

		private final String serviceId;

		private final List<List<ServiceInstance>> lists;

		final List<String> events = new ArrayList<>();

		FixedSupplier(String serviceId, List<List<ServiceInstance>> lists) {
			this.serviceId = serviceId;
			this.lists = lists;
		}

		@Override
		public String getServiceId() {
			return this.serviceId;
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return Flux.fromIterable(this.lists);
		}

		@Override
		public void selectedServiceInstance(ServiceInstance serviceInstance) {
			this.events.add("selected " + serviceInstance.getInstanceId());
		}

		@Override
		public void afterPropertiesSet() {
			this.events.add("afterPropertiesSet");
		}

		@Override
		public void destroy() {
			this.events.add("destroy");
		}

	}

}
