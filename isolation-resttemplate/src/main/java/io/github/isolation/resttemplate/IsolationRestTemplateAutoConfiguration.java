package io.github.isolation.resttemplate;

import java.util.ArrayList;
import java.util.List;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.IsolationContext;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Puts the isolation tag on every call of a {@code @LoadBalanced RestTemplate} and of a
 * {@code @LoadBalanced RestClient.Builder}'s clients, ahead of the load-balancer interceptor.
 * Active whenever isolation is.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = IsolationAutoConfiguration.class)
@ConditionalOnClass(RestTemplate.class)
@ConditionalOnBean(IsolationContext.class)
public class IsolationRestTemplateAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IsolationClientHttpRequestInterceptor isolationClientHttpRequestInterceptor(IsolationContext context) {
		return new IsolationClientHttpRequestInterceptor(context);
	}

	@Bean
	static BeanPostProcessor isolationLoadBalancedClientPostProcessor(
			ObjectProvider<IsolationClientHttpRequestInterceptor> interceptor, ApplicationContext context) {
		return new LoadBalancedClientPostProcessor(interceptor, context);
	}

	/**
	 * Adds the interceptor in front of the interceptors of a {@code @LoadBalanced RestTemplate}
	 * or {@code RestClient.Builder}, whether Spring Cloud has added its load-balancer interceptor
	 * yet or not. (A template sorts its interceptors by order each time they are set, and this
	 * one has the highest precedence; a builder keeps them in the order given.)
	 */
	static final class LoadBalancedClientPostProcessor implements BeanPostProcessor {

		private final ObjectProvider<IsolationClientHttpRequestInterceptor> interceptor;

		private final ApplicationContext context;

		LoadBalancedClientPostProcessor(ObjectProvider<IsolationClientHttpRequestInterceptor> interceptor,
				ApplicationContext context) {
			this.interceptor = interceptor;
			this.context = context;
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
			if (!(bean instanceof RestTemplate || bean instanceof RestClient.Builder)
					|| this.context.findAnnotationOnBean(beanName, LoadBalanced.class) == null) {
				return bean;
			}
			IsolationClientHttpRequestInterceptor isolation = this.interceptor.getObject();
			if (bean instanceof RestTemplate restTemplate) {
				List<ClientHttpRequestInterceptor> interceptors = new ArrayList<>(restTemplate.getInterceptors());
				if (!interceptors.contains(isolation)) {
					interceptors.add(0, isolation);
					restTemplate.setInterceptors(interceptors);
				}
			}
			else {
				((RestClient.Builder) bean).requestInterceptors((interceptors) -> {
					if (!interceptors.contains(isolation)) {
						interceptors.add(0, isolation);
					}
				});
			}
			return bean;
		}

	}

}
