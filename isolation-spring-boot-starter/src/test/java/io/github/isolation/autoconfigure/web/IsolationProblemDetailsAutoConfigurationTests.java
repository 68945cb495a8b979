package io.github.isolation.autoconfigure.web;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;

class IsolationProblemDetailsAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(IsolationAutoConfiguration.class,
			IsolationProblemDetailsAutoConfiguration.class);

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS);

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS);

	@Test
	void shouldResolveRefusalsLastOfAllResolversInAServletApplication() {
		this.servlet.run((context) -> {
			assertThat(context).hasSingleBean(RefusedCallExceptionResolver.class)
				.doesNotHaveBean(RefusedCallWebExceptionHandler.class);
			assertThat(context.getBean(RefusedCallExceptionResolver.class).getOrder())
				.isEqualTo(Ordered.LOWEST_PRECEDENCE);
		});
	}

	@Test
	void shouldHandleRefusalsJustBeforeBootsErrorHandlerInAReactiveApplication() {
		this.reactive.run((context) -> {
			assertThat(context).hasSingleBean(RefusedCallWebExceptionHandler.class)
				.doesNotHaveBean(RefusedCallExceptionResolver.class);
			assertThat(context.getBean(RefusedCallWebExceptionHandler.class).getOrder()).isEqualTo(-2);
		});
	}

	@Test
	void shouldStayOffWhenSwitchedOffOrWhenIsolationIsDisabled() {
		this.servlet.withPropertyValues("isolation.problem-details.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RefusedCallExceptionResolver.class));
		this.reactive.withPropertyValues("isolation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RefusedCallWebExceptionHandler.class));
	}

}
