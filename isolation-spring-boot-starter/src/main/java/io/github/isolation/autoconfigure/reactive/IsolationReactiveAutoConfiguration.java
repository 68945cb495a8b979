package io.github.isolation.autoconfigure.reactive;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.autoconfigure.RoutingListeners;
import io.micrometer.context.ContextSnapshotFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Carries the isolation tag through WebFlux: a reactive server takes the tag of each incoming
 * request into its tracing baggage, and every {@code @LoadBalanced WebClient.Builder}'s clients
 * put it on their calls. Active whenever isolation is; each part only where its classes are
 * present, so a servlet application without spring-webflux is unaffected, and a servlet
 * application that uses {@code WebClient} gets the client part. Every bean can be replaced by
 * one of the same type.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = IsolationAutoConfiguration.class)
@ConditionalOnBean(IsolationContext.class)
public class IsolationReactiveAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(HttpHandlerDecoratorFactory.class)
	static class ServerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IsolationHttpHandlerDecorator isolationHttpHandlerDecorator(LocalGroup localGroup, RoutingListeners listeners) {
			return new IsolationHttpHandlerDecorator(localGroup, listeners);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty("isolation.debug.route-header")
		RouteHeaderWebFilter isolationRouteHeaderWebFilter(Environment environment, LocalGroup localGroup) {
			return new RouteHeaderWebFilter(environment.getProperty("spring.application.name", "application"),
					localGroup);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, ContextSnapshotFactory.class })
	static class WebClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IsolationExchangeFilterFunction isolationExchangeFilterFunction(IsolationContext context) {
			return new IsolationExchangeFilterFunction(context);
		}

		@Bean
		static BeanPostProcessor isolationLoadBalancedWebClientBuilderPostProcessor(
				ObjectProvider<IsolationExchangeFilterFunction> filter, ApplicationContext context) {
			return new LoadBalancedWebClientBuilderPostProcessor(filter, context);
		}

	}

	/**
	 * Adds the filter in front of the filters of a {@code @LoadBalanced WebClient.Builder},
	 * whether Spring Cloud has added its load-balancer filter yet or not (it appends its own),
	 * so that the tag is on the request when the load balancer reads it.
	 */
	static final class LoadBalancedWebClientBuilderPostProcessor implements BeanPostProcessor {

		private final ObjectProvider<IsolationExchangeFilterFunction> filter;

		private final ApplicationContext context;

		LoadBalancedWebClientBuilderPostProcessor(ObjectProvider<IsolationExchangeFilterFunction> filter,
				ApplicationContext context) {
			this.filter = filter;
			this.context = context;
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
			if (!(bean instanceof WebClient.Builder builder)
					|| this.context.findAnnotationOnBean(beanName, LoadBalanced.class) == null) {
				return bean;
			}
			IsolationExchangeFilterFunction isolation = this.filter.getObject();
			builder.filters((filters) -> {
				if (!filters.contains(isolation)) {
					filters.add(0, isolation);
				}
			});
			return bean;
		}

	}

}
