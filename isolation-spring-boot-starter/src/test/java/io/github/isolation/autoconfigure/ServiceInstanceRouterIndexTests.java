package io.github.isolation.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.RouteOutcome;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ServiceInstanceRouter} keeps the groups of the last instance list of each service:
 * these tests show it still follows the bindings, and hands out one immutable list per list.
 */
class ServiceInstanceRouterIndexTests {

	private static final String SERVICE = "inventory";

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationTag TO_FEATURE_X = new IsolationTag(FEATURE_X, FailFastServices.NONE);

	private final ServiceInstance c1 = instance("c1", "10.0.0.1", null);

	private final ServiceInstance c2 = instance("c2", "10.0.0.2", null);

	private final ServiceInstance x1 = instance("x1", "10.0.0.3", "feature-x");

	@Test
	void shouldFollowABindingChangeWhileTheDelegateKeepsSupplyingTheSameList() {
		// given
		VersionedBindings bindings = new VersionedBindings();
		ServiceInstanceRouter router = new ServiceInstanceRouter(new ServiceInstanceGroupResolver(bindings),
				FailFastServices.NONE);
		List<ServiceInstance> instances = List.of(this.c1, this.c2);
		List<ServiceInstance> before = router.choose(SERVICE, TO_FEATURE_X, instances);
		router.choose(SERVICE, TO_FEATURE_X, instances);

		// when
		bindings.bind(SERVICE, "10.0.0.2", 8080, FEATURE_X);
		List<ServiceInstance> bound = router.choose(SERVICE, TO_FEATURE_X, instances);
		List<ServiceInstance> untaggedWhileBound = router.choose(SERVICE, IsolationTag.UNTAGGED, instances);
		bindings.unbind(SERVICE, "10.0.0.2", 8080);
		List<ServiceInstance> unbound = router.choose(SERVICE, TO_FEATURE_X, instances);

		// then
		assertThat(before).containsExactly(this.c1, this.c2);
		assertThat(bound).containsExactly(this.c2);
		assertThat(untaggedWhileBound).containsExactly(this.c1);
		assertThat(unbound).containsExactly(this.c1, this.c2);
	}

	@Test
	void shouldHandOutTheSameImmutableListForEveryCallOnTheSameInstanceList() {
		// given
		ServiceInstanceRouter router = new ServiceInstanceRouter(new ServiceInstanceGroupResolver(GroupBindings.NONE),
				FailFastServices.NONE);
		List<ServiceInstance> instances = List.of(this.c1, this.x1, this.c2);

		// when
		router.choose(SERVICE, TO_FEATURE_X, instances);
		List<ServiceInstance> second = router.choose(SERVICE, TO_FEATURE_X, instances);
		List<ServiceInstance> third = router.choose(SERVICE, TO_FEATURE_X, instances);
		List<ServiceInstance> stable = router.choose(SERVICE, IsolationTag.UNTAGGED, instances);
		List<ServiceInstance> fallback = router.choose(SERVICE,
				new IsolationTag(IsolationGroup.of("feature-y"), FailFastServices.NONE), instances);

		// then
		assertThat(third).isSameAs(second).containsExactly(this.x1);
		assertThat(fallback).isSameAs(stable).containsExactly(this.c1, this.c2);
		assertThatThrownBy(() -> second.add(this.c1)).isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void shouldApplyTheConfiguredFailFastServicesToAnIndexedList() {
		// given
		ServiceInstanceRouter router = new ServiceInstanceRouter(new ServiceInstanceGroupResolver(GroupBindings.NONE),
				FailFastServices.of(List.of(SERVICE)));
		List<ServiceInstance> instances = List.of(this.c1, this.c2);

		// when
		router.decide(SERVICE, IsolationTag.UNTAGGED, instances);
		router.decide(SERVICE, IsolationTag.UNTAGGED, instances);
		RouteOutcome tagged = router.decide(SERVICE, TO_FEATURE_X, instances).outcome();
		RouteOutcome untagged = router.decide(SERVICE, IsolationTag.UNTAGGED, instances).outcome();

		// then
		assertThat(tagged).isEqualTo(RouteOutcome.FAIL_FAST);
		assertThat(untagged).isEqualTo(RouteOutcome.STABLE);
	}

	private static ServiceInstance instance(String id, String host, String group) {
		Map<String, String> metadata = new HashMap<>();
		if (group != null) {
			metadata.put(IsolationTags.METADATA_GROUP, group);
		}
		return new DefaultServiceInstance(id, SERVICE, host, 8080, false, metadata);
	}

	/** Bindings that, like the ZooKeeper view, count their changes. */
	static final class VersionedBindings implements GroupBindings {

		private volatile Map<String, IsolationGroup> instances = Map.of();

		private volatile long generation;

		void bind(String serviceId, String host, int port, IsolationGroup group) {
			Map<String, IsolationGroup> next = new HashMap<>(this.instances);
			next.put(serviceId + "/" + host + ":" + port, group);
			publish(next);
		}

		void unbind(String serviceId, String host, int port) {
			Map<String, IsolationGroup> next = new HashMap<>(this.instances);
			next.remove(serviceId + "/" + host + ":" + port);
			publish(next);
		}

		private void publish(Map<String, IsolationGroup> next) {
			this.instances = Map.copyOf(next);
			this.generation++;
		}

		@Override
		public Optional<IsolationGroup> instanceGroup(String serviceId, String host, int port) {
			return Optional.ofNullable(this.instances.get(serviceId + "/" + host + ":" + port));
		}

		@Override
		public Optional<IsolationGroup> sourceGroup(String address) {
			return Optional.empty();
		}

		@Override
		public long generation() {
			return this.generation;
		}

	}

}
