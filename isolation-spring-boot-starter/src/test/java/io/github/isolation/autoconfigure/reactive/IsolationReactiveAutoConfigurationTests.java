package io.github.isolation.autoconfigure.reactive;

import java.util.ArrayList;
import java.util.List;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationReactiveAutoConfiguration}.
 */
class IsolationReactiveAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(IsolationAutoConfiguration.class,
			IsolationReactiveAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS);

	@Test
	void shouldDecorateTheHttpHandlerAndFilterWebClientsInAReactiveApplication() {
		this.reactive.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(IsolationHttpHandlerDecorator.class)
			.hasSingleBean(IsolationExchangeFilterFunction.class));
	}

	@Test
	void shouldFilterWebClientsButLeaveTheServerAloneInAServletApplication() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IsolationHttpHandlerDecorator.class)
				.hasSingleBean(IsolationExchangeFilterFunction.class));
	}

	@Test
	void shouldStayOutOfAServletApplicationWithoutSpringWebFlux() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withClassLoader(new FilteredClassLoader("org.springframework.web.reactive"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IsolationHttpHandlerDecorator.class)
				.doesNotHaveBean(IsolationExchangeFilterFunction.class));
	}

	@Test
	void shouldProvideNothingWhenIsolationIsDisabled() {
		this.reactive.withPropertyValues("isolation.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IsolationHttpHandlerDecorator.class)
				.doesNotHaveBean(IsolationExchangeFilterFunction.class));
	}

	@Test
	void shouldPutTheFilterFirstOnLoadBalancedBuildersOnly() {
		this.reactive.withUserConfiguration(Builders.class).run((context) -> {
			IsolationExchangeFilterFunction isolation = context.getBean(IsolationExchangeFilterFunction.class);

			assertThat(filtersOf(context.getBean("loadBalanced", WebClient.Builder.class))).hasSize(2)
				.first()
				.isSameAs(isolation);
			assertThat(filtersOf(context.getBean("plain", WebClient.Builder.class))).hasSize(1)
				.doesNotContain(isolation);
		});
	}

	private static List<ExchangeFilterFunction> filtersOf(WebClient.Builder builder) {
		List<ExchangeFilterFunction> filters = new ArrayList<>();
		builder.filters(filters::addAll);
		return filters;
	}

	@Configuration(proxyBeanMethods = false)
	static class Builders {

		// Stands for a filter added before the post-processors run, as a user's own would be.
		private static final ExchangeFilterFunction OWN = (request, next) -> next.exchange(request);

		@Bean
		@LoadBalanced
		WebClient.Builder loadBalanced() {
			return WebClient.builder().filter(OWN);
		}

		@Bean
		WebClient.Builder plain() {
			return WebClient.builder().filter(OWN);
		}

	}

}
