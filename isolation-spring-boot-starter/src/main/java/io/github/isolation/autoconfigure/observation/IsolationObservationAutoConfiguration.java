package io.github.isolation.autoconfigure.observation;

import java.time.Clock;
import java.time.Duration;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.IsolationProperties;
import io.github.isolation.autoconfigure.edge.EdgeRuleActivity;
import io.github.isolation.autoconfigure.edge.IsolationEdgeProperties;
import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.core.GroupBindings;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What people see of routing: log lines for the decisions worth a look, Micrometer meters when
 * a {@link MeterRegistry} is present, and the {@code isolation} actuator endpoint when
 * Spring Boot's actuator is on the class path.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = IsolationAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnBean(IsolationProperties.class)
public class IsolationObservationAutoConfiguration {

	// Often enough to notice a change, rare enough that a storm of failures stays readable.
	private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

	@Bean
	@ConditionalOnMissingBean
	DecisionLogger isolationDecisionLogger() {
		return new DecisionLogger(LOG_INTERVAL, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	RecentDecisions isolationRecentDecisions(IsolationProperties properties) {
		return new RecentDecisions(properties.getDebug().getRecentDecisions(), Clock.systemUTC());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BoundedGroupNames isolationMetricsGroupNames(IsolationProperties properties) {
			return new BoundedGroupNames(properties.getMetrics().getMaxGroups());
		}

		@Bean
		@ConditionalOnMissingBean
		RoutingMetrics isolationRoutingMetrics(MeterRegistry registry, BoundedGroupNames groups) {
			return new RoutingMetrics(registry, groups);
		}

		@Bean
		@ConditionalOnMissingBean
		EdgeRuleMetrics isolationEdgeRuleMetrics(MeterRegistry registry) {
			return new EdgeRuleMetrics(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IsolationEndpoint isolationEndpoint(LocalGroup localGroup, IsolationProperties properties,
				RecentDecisions decisions, GroupBindings bindings, ObjectProvider<LoadBalancerClientFactory> loadBalancers,
				ObjectProvider<IsolationEndpoint.RegistryState> registry, ObjectProvider<IsolationEdgeProperties> edge,
				ObjectProvider<EdgeRuleActivity> edgeRules, ObjectProvider<IsolationEndpoint.Section> sections) {
			return new IsolationEndpoint(localGroup, properties, decisions, bindings, loadBalancers, registry, edge,
					edgeRules, sections);
		}

	}

}
