package io.github.isolation.autoconfigure.web;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.IsolationContext;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers a call that the routing rule refused, and that propagated out of a handler, with
 * {@code 503} and a problem detail ({@link RefusedCallProblem}), in servlet and WebFlux
 * applications and on Spring Cloud Gateway routes. {@code isolation.problem-details.enabled=false}
 * leaves the exception to the application's error handling, as without the starter.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = IsolationAutoConfiguration.class)
@ConditionalOnBean(IsolationContext.class)
@ConditionalOnBooleanProperty(name = "isolation.problem-details.enabled", matchIfMissing = true)
public class IsolationProblemDetailsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(HandlerExceptionResolver.class)
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RefusedCallExceptionResolver isolationRefusedCallExceptionResolver() {
			return new RefusedCallExceptionResolver();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(WebExceptionHandler.class)
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RefusedCallWebExceptionHandler isolationRefusedCallWebExceptionHandler() {
			return new RefusedCallWebExceptionHandler();
		}

	}

}
