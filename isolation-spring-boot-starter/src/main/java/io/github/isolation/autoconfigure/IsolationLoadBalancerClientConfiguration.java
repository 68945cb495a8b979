package io.github.isolation.autoconfigure;

import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
			ObjectProvider<ServiceInstanceRouter> router, ObjectProvider<GroupBindings> bindings) {
		return new IsolationSupplierWrapper(context, router, bindings);
	}

	static final class IsolationSupplierWrapper implements BeanPostProcessor {

		private static final Logger logger = LoggerFactory.getLogger(IsolationSupplierWrapper.class);

		private final ObjectProvider<IsolationContext> context;

		private final ObjectProvider<ServiceInstanceRouter> router;

		private final ObjectProvider<GroupBindings> bindings;

		IsolationSupplierWrapper(ObjectProvider<IsolationContext> context, ObjectProvider<ServiceInstanceRouter> router,
				ObjectProvider<GroupBindings> bindings) {
			this.context = context;
			this.router = router;
			this.bindings = bindings;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
			if (bean instanceof ServiceInstanceListSupplier supplier
					&& !(bean instanceof IsolationServiceInstanceListSupplier)) {
				prepare(supplier.getServiceId());
				return new IsolationServiceInstanceListSupplier(supplier, this.context.getObject(),
						this.router.getObject());
			}
			return bean;
		}

		/**
		 * Lets bindings that hold only the services this instance calls read this one's before
		 * its first routing decision: a client context is made when a service is first called.
		 */
		private void prepare(String serviceId) {
			GroupBindings groupBindings = this.bindings.getIfUnique();
			if (groupBindings == null || serviceId == null) {
				return;
			}
			try {
				groupBindings.prepare(serviceId);
			}
			catch (RuntimeException ex) {
				// Bindings that cannot be read leave routing to discovery metadata; never fail the call.
				logger.warn("Could not prepare the bindings of service {}", LogSafe.quote(serviceId), ex);
			}
		}

	}

}
