package io.github.isolation.autoconfigure;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applied to every load-balancer client's own context as a default configuration. It leaves
 * that context's supplier chain as the user or Spring Cloud built it and wraps the result, so
 * that isolation is the outermost supplier: the chain below (caching, health checks, zone
 * preference, a custom supplier) is kept and sees every instance.
 *
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
public class IsolationLoadBalancerClientConfiguration {

	@Bean
	static BeanPostProcessor isolationServiceInstanceListSupplierPostProcessor(ObjectProvider<IsolationContext> context,
			ObjectProvider<ServiceInstanceRouter> router) {
		return new IsolationSupplierWrapper(context, router);
	}

	static final class IsolationSupplierWrapper implements BeanPostProcessor {

		private final ObjectProvider<IsolationContext> context;

		private final ObjectProvider<ServiceInstanceRouter> router;

		IsolationSupplierWrapper(ObjectProvider<IsolationContext> context, ObjectProvider<ServiceInstanceRouter> router) {
			this.context = context;
			this.router = router;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
			if (bean instanceof ServiceInstanceListSupplier supplier
					&& !(bean instanceof IsolationServiceInstanceListSupplier)) {
				return new IsolationServiceInstanceListSupplier(supplier, this.context.getObject(),
						this.router.getObject());
			}
			return bean;
		}

	}

}
