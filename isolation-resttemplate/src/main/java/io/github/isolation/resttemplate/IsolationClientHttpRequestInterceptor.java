package io.github.isolation.resttemplate;

import java.io.IOException;

import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.autoconfigure.RouteHeader;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Puts the request's isolation tag on a {@code RestTemplate} or {@code RestClient} call as
 * headers. It runs before Spring Cloud's load-balancer interceptor, so that the load balancer
 * finds the tag in the request data, and so that the next hop receives it even from a client
 * that tracing does not instrument (one made with {@code new RestTemplate()} or a bare
 * {@code RestClient.builder()}). It also hands the downstream's {@link RouteHeader} to the
 * request being served.
 *
 * @since 0.1.0
 */
public class IsolationClientHttpRequestInterceptor implements ClientHttpRequestInterceptor, Ordered {

	private final IsolationContext context;

	/**
	 * Creates the interceptor.
	 * @param context the tag of the current request
	 */
	public IsolationClientHttpRequestInterceptor(IsolationContext context) {
		this.context = context;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		HttpHeaders headers = request.getHeaders();
		this.context.current().writeHeaders((name) -> headers.getFirst(name) != null, headers::set);
		ClientHttpResponse response = execution.execute(request, body);
		RouteHeader.recordDownstream(response.getHeaders().getFirst(RouteHeader.NAME));
		return response;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
