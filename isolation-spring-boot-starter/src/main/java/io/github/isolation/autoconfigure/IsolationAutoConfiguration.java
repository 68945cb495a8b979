package io.github.isolation.autoconfigure;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Routes every load-balanced call by the request's isolation group. Does nothing when
 * {@code isolation.enabled=false}. Every bean can be replaced by one of the same type.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(ServiceInstanceListSupplier.class)
@ConditionalOnBooleanProperty(name = "isolation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IsolationProperties.class)
@LoadBalancerClients(defaultConfiguration = IsolationLoadBalancerClientConfiguration.class)
public class IsolationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LocalGroup isolationLocalGroup(IsolationProperties properties) {
		IsolationGroup group = (properties.getGroup() != null) ? IsolationGroup.of(properties.getGroup())
				: IsolationGroup.STABLE;
		String origin = (properties.getGroup() != null) ? "property" : "default";
		return new LocalGroup() {

			@Override
			public IsolationGroup current() {
				return group;
			}

			@Override
			public String origin() {
				return origin;
			}

		};
	}

	@Bean
	@ConditionalOnMissingBean
	RoutingListeners isolationRoutingListeners(ObjectProvider<RoutingListener> listeners) {
		return new RoutingListeners(listeners.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	GroupBindings isolationGroupBindings() {
		return GroupBindings.NONE;
	}

	@Bean
	@ConditionalOnMissingBean
	IsolationContext isolationContext(ObjectProvider<Tracer> tracer, LocalGroup localGroup) {
		return new BaggageIsolationContext(tracer.getIfAvailable(() -> Tracer.NOOP), localGroup);
	}

	@Bean
	@ConditionalOnMissingBean
	ServiceInstanceRouter isolationServiceInstanceRouter(GroupBindings bindings, IsolationProperties properties,
			RoutingListeners listeners) {
		return new ServiceInstanceRouter(new ServiceInstanceGroupResolver(bindings),
				FailFastServices.of(properties.getFailFast()), listeners);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(OncePerRequestFilter.class)
	static class ServletConfiguration {

		// An edge hides the tags it rejects with its own decision (IsolationEdgeServletFilter).
		@Bean
		@ConditionalOnBooleanProperty(name = "isolation.edge.enabled", havingValue = false, matchIfMissing = true)
		@ConditionalOnMissingBean
		TagSanitizingFilter isolationTagSanitizingFilter(RoutingListeners listeners) {
			return new TagSanitizingFilter(listeners);
		}

		@Bean
		@ConditionalOnMissingBean
		IsolationServletFilter isolationServletFilter(ObjectProvider<Tracer> tracer, LocalGroup localGroup,
				RoutingListeners listeners) {
			return new IsolationServletFilter(tracer.getIfAvailable(() -> Tracer.NOOP), localGroup, listeners);
		}

		@Bean
		@ConditionalOnBooleanProperty("isolation.debug.route-header")
		@ConditionalOnMissingBean
		RouteHeaderFilter isolationRouteHeaderFilter(Environment environment, LocalGroup localGroup) {
			return new RouteHeaderFilter(environment.getProperty("spring.application.name", "application"), localGroup);
		}

	}

}
