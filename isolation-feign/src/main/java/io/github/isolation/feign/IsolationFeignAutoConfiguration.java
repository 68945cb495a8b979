package io.github.isolation.feign;

import feign.RequestInterceptor;
import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.IsolationContext;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Puts the isolation tag on every Feign call. Active whenever isolation is.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = IsolationAutoConfiguration.class)
@ConditionalOnClass(RequestInterceptor.class)
@ConditionalOnBean(IsolationContext.class)
public class IsolationFeignAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IsolationFeignRequestInterceptor isolationFeignRequestInterceptor(IsolationContext context) {
		return new IsolationFeignRequestInterceptor(context);
	}

	@Bean
	@ConditionalOnBooleanProperty("isolation.debug.route-header")
	@ConditionalOnMissingBean
	RouteHeaderCapability isolationRouteHeaderCapability() {
		return new RouteHeaderCapability();
	}

}
