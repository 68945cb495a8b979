package io.github.isolation.autoconfigure;

import java.net.URI;
import java.util.HashMap;

import io.github.isolation.core.IsolationTags;

import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

/** Load-balancer requests as a client interceptor leaves them: the tag in the request's headers. */
final class TaggedRequests {

	private TaggedRequests() {
	}

	/**
	 * A request to a service.
	 * @param serviceId the service
	 * @param group the {@code isolation-group} header, or {@code null} for none
	 * @param failFast the {@code isolation-fail-fast} header, or {@code null} for none
	 * @return the request
	 */
	static Request<RequestDataContext> to(String serviceId, String group, String failFast) {
		HttpHeaders headers = new HttpHeaders();
		if (group != null) {
			headers.add(IsolationTags.GROUP, group);
		}
		if (failFast != null) {
			headers.add(IsolationTags.FAIL_FAST, failFast);
		}
		RequestData data = new RequestData(HttpMethod.GET, URI.create("http://" + serviceId + "/items"), headers,
				new LinkedMultiValueMap<>(), new HashMap<>());
		return new DefaultRequest<>(new RequestDataContext(data));
	}

}
