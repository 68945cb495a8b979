package io.github.isolation.feign;

import feign.RequestInterceptor;
import feign.RequestTemplate;
import io.github.isolation.autoconfigure.IsolationContext;

/**
 * Puts the request's isolation tag on every Feign call as headers. Feign applies request
 * interceptors before its client runs, so Spring Cloud's load-balancing Feign client finds the
 * tag in the request data when it chooses an instance, and the next hop receives it whether or
 * not Feign is instrumented for tracing.
 *
 * @since 0.1.0
 */
public class IsolationFeignRequestInterceptor implements RequestInterceptor {

	private final IsolationContext context;

	/**
	 * Creates the interceptor.
	 * @param context the tag of the current request
	 */
	public IsolationFeignRequestInterceptor(IsolationContext context) {
		this.context = context;
	}

	@Override
	public void apply(RequestTemplate template) {
		this.context.current()
			.writeHeaders((name) -> template.headers().containsKey(name), (name, value) -> template.header(name, value));
	}

}
