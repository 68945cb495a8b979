package io.github.isolation.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.RouteOutcome;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationAutoConfiguration}.
 */
class IsolationAutoConfigurationTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(IsolationAutoConfiguration.class, LoadBalancerAutoConfiguration.class));

	@Test
	void shouldProvideEveryBeanByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(IsolationProperties.class)
				.hasSingleBean(LocalGroup.class)
				.hasSingleBean(GroupBindings.class)
				.hasSingleBean(ServiceInstanceRouter.class)
				.hasSingleBean(IsolationContext.class)
				.getBean(IsolationContext.class)
				.isInstanceOf(BaggageIsolationContext.class);
			assertThat(context.getBean(LocalGroup.class).current()).isEqualTo(IsolationGroup.STABLE);
			assertThat(context.getBean(GroupBindings.class)).isSameAs(GroupBindings.NONE);
			assertThat(context.getBean(IsolationContext.class).current()).isSameAs(IsolationTag.UNTAGGED);
			assertThat(isolationSpecifications(context)).hasSize(1)
				.allSatisfy((specification) -> assertThat(specification.getName()).startsWith("default."));
		});
	}

	@Test
	void shouldProvideNothingWhenDisabled() {
		this.runner.withPropertyValues("isolation.enabled=false", "isolation.group=feature-x").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(IsolationProperties.class)
				.doesNotHaveBean(LocalGroup.class)
				.doesNotHaveBean(GroupBindings.class)
				.doesNotHaveBean(ServiceInstanceRouter.class)
				.doesNotHaveBean(IsolationContext.class)
				.doesNotHaveBean(IsolationServletFilter.class);
			assertThat(isolationSpecifications(context)).isEmpty();
		});
	}

	@Test
	void shouldBackOffWithoutSpringCloudLoadBalancer() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(IsolationAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ServiceInstanceListSupplier.class))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(IsolationProperties.class)
					.doesNotHaveBean(LocalGroup.class)
					.doesNotHaveBean(IsolationContext.class)
					.doesNotHaveBean(ServiceInstanceRouter.class);
				assertThat(context.getBeansOfType(LoadBalancerClientSpecification.class)).isEmpty();
			});
	}

	@Test
	void shouldUseTheUsersLocalGroup() {
		LocalGroup userLocalGroup = () -> FEATURE_X;
		this.runner.withBean(LocalGroup.class, () -> userLocalGroup)
			.withPropertyValues("isolation.group=feature-y")
			.run((context) -> {
				assertThat(context).getBean(LocalGroup.class).isSameAs(userLocalGroup);
				assertThat(context.getBean(IsolationContext.class).current().group()).isEqualTo(FEATURE_X);
			});
	}

	@Test
	void shouldUseTheUsersGroupBindingsForTheGroupOfAnInstance() {
		GroupBindings userBindings = new SingleBinding("inventory", "10.0.0.1", 8080, FEATURE_X);
		this.runner.withBean(GroupBindings.class, () -> userBindings).run((context) -> {
			assertThat(context).getBean(GroupBindings.class).isSameAs(userBindings);
			ServiceInstance bound = new DefaultServiceInstance("bound", "inventory", "10.0.0.1", 8080, false);
			ServiceInstance unbound = new DefaultServiceInstance("unbound", "inventory", "10.0.0.2", 8080, false);
			List<ServiceInstance> chosen = context.getBean(ServiceInstanceRouter.class)
				.choose("inventory", new IsolationTag(FEATURE_X, FailFastServices.NONE), List.of(unbound, bound));
			assertThat(chosen).containsExactly(bound);
		});
	}

	@Test
	void shouldUseTheUsersIsolationContext() {
		IsolationContext userContext = () -> new IsolationTag(FEATURE_X, FailFastServices.NONE);
		this.runner.withBean(IsolationContext.class, () -> userContext)
			.run((context) -> assertThat(context).getBean(IsolationContext.class).isSameAs(userContext));
	}

	@Test
	void shouldUseTheUsersServiceInstanceRouter() {
		ServiceInstanceRouter userRouter = new ServiceInstanceRouter((instance) -> IsolationGroup.STABLE,
				FailFastServices.NONE);
		this.runner.withBean(ServiceInstanceRouter.class, () -> userRouter)
			.run((context) -> assertThat(context).getBean(ServiceInstanceRouter.class).isSameAs(userRouter));
	}

	@Test
	void shouldUseTheUsersServletFilter() {
		IsolationServletFilter userFilter = new IsolationServletFilter(Tracer.NOOP, () -> FEATURE_X, RoutingListeners.NONE);
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(IsolationAutoConfiguration.class))
			.withBean(IsolationServletFilter.class, () -> userFilter)
			.run((context) -> assertThat(context).getBean(IsolationServletFilter.class).isSameAs(userFilter));
	}

	@Test
	void shouldProvideTheServletFiltersInAServletWebApplication() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(IsolationAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(IsolationServletFilter.class).hasSingleBean(TagSanitizingFilter.class);
				// Before the server observation filter (HIGHEST_PRECEDENCE + 1), which extracts the baggage.
				assertThat(context.getBean(TagSanitizingFilter.class).getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
			});
	}

	@Test
	void shouldNotProvideTheServletFilterOutsideAServletWebApplication() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IsolationServletFilter.class));
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IsolationAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IsolationServletFilter.class));
	}

	@Test
	void shouldNotProvideTheServletFilterWhenDisabled() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(IsolationAutoConfiguration.class))
			.withPropertyValues("isolation.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IsolationServletFilter.class)
				.doesNotHaveBean(TagSanitizingFilter.class));
	}

	@Test
	void shouldBindTheGroupOfThisInstance() {
		this.runner.withPropertyValues("isolation.group=feature-x").run((context) -> {
			assertThat(context.getBean(LocalGroup.class).current()).isEqualTo(FEATURE_X);
			assertThat(context.getBean(IsolationContext.class).current())
				.isEqualTo(new IsolationTag(FEATURE_X, FailFastServices.NONE));
		});
	}

	@Test
	void shouldFailToStartWithAnInvalidGroupNamingThePropertyAndTheRule() {
		this.runner.withPropertyValues("isolation.group=Feature X").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageStartingWith("isolation.group: ")
				.hasMessageContaining("1 to 63 characters of [a-z0-9._-] starting with a letter or digit")
				.hasMessageContaining("'Feature X'");
		});
	}

	@Test
	void shouldBindTheConfiguredFailFastServices() {
		this.runner.withPropertyValues("isolation.fail-fast=inventory, Billing").run((context) -> {
			assertThat(context.getBean(IsolationProperties.class).getFailFast()).containsExactly("inventory",
					"Billing");
			ServiceInstanceRouter router = context.getBean(ServiceInstanceRouter.class);
			IsolationTag featureX = new IsolationTag(FEATURE_X, FailFastServices.NONE);
			assertThat(router.decide("billing", featureX, List.of(stableInstance("billing"))).outcome())
				.isEqualTo(RouteOutcome.FAIL_FAST);
			assertThat(router.decide("inventory", featureX, List.of(stableInstance("inventory"))).outcome())
				.isEqualTo(RouteOutcome.FAIL_FAST);
			assertThat(router.decide("catalog", featureX, List.of(stableInstance("catalog"))).outcome())
				.isEqualTo(RouteOutcome.FALLBACK);
		});
	}

	@Test
	void shouldFailToStartWithAnInvalidFailFastService() {
		this.runner.withPropertyValues("isolation.fail-fast=inventory,bad id!").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageStartingWith("isolation.fail-fast: ")
				.hasMessageContaining("'bad id!'");
		});
	}

	@Test
	void shouldReadTheTagFromTheApplicationsTracer() {
		try (BraveBaggage brave = new BraveBaggage()) {
			this.runner.withBean(Tracer.class, brave::tracer).run((context) -> {
				IsolationContext isolationContext = context.getBean(IsolationContext.class);
				IsolationTag tag = brave.inSpanWithBaggage(IsolationTags.GROUP, "feature-x",
						isolationContext::current);
				assertThat(tag.group()).isEqualTo(FEATURE_X);
			});
		}
	}

	private static List<LoadBalancerClientSpecification> isolationSpecifications(
			AssertableApplicationContext context) {
		return context.getBeansOfType(LoadBalancerClientSpecification.class)
			.values()
			.stream()
			.filter((specification) -> Arrays.asList(specification.getConfiguration())
				.contains(IsolationLoadBalancerClientConfiguration.class))
			.toList();
	}

	private static ServiceInstance stableInstance(String serviceId) {
		return new DefaultServiceInstance(serviceId + "-1", serviceId, "10.0.0.1", 8080, false, Map.of());
	}

	/** One instance bound to a group. */
	record SingleBinding(String serviceId, String host, int port, IsolationGroup group) implements GroupBindings {

		@Override
		public Optional<IsolationGroup> instanceGroup(String serviceId, String host, int port) {
			return (this.serviceId.equals(serviceId) && this.host.equals(host) && this.port == port)
					? Optional.of(this.group) : Optional.empty();
		}

		@Override
		public Optional<IsolationGroup> sourceGroup(String address) {
			return Optional.empty();
		}

	}

}
