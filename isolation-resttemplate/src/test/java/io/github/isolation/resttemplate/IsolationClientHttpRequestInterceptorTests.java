package io.github.isolation.resttemplate;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import org.junit.jupiter.api.Test;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationClientHttpRequestInterceptor}.
 */
class IsolationClientHttpRequestInterceptorTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private final MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.POST,
			URI.create("http://inventory/items"));

	private final byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

	private final CapturingExecution execution = new CapturingExecution();

	@Test
	void shouldPutTheGroupAndTheFailFastServicesOnTheRequestBeforeExecutingIt() throws IOException {
		// given
		IsolationClientHttpRequestInterceptor interceptor = new IsolationClientHttpRequestInterceptor(
				() -> new IsolationTag(FEATURE_X, FailFastServices.of(List.of("inventory", "billing"))));

		// when
		ClientHttpResponse response = interceptor.intercept(this.request, this.body, this.execution);

		// then
		assertThat(response).isSameAs(this.execution.response);
		assertThat(this.execution.request).isSameAs(this.request);
		assertThat(this.execution.body).isSameAs(this.body);
		assertThat(this.execution.headers.get(IsolationTags.GROUP)).containsExactly("feature-x");
		assertThat(this.execution.headers.get(IsolationTags.FAIL_FAST)).singleElement()
			.satisfies((value) -> assertThat(FailFastServices.parse(value, (rejection) -> {
			})).isEqualTo(FailFastServices.of(List.of("inventory", "billing"))));
	}

	@Test
	void shouldKeepAHeaderTheCallerSet() throws IOException {
		// given
		IsolationClientHttpRequestInterceptor interceptor = new IsolationClientHttpRequestInterceptor(
				() -> new IsolationTag(FEATURE_X, FailFastServices.of(List.of("inventory"))));
		this.request.getHeaders().set("Isolation-Group", "feature-y");

		// when
		interceptor.intercept(this.request, this.body, this.execution);

		// then
		assertThat(this.execution.headers.get(IsolationTags.GROUP)).containsExactly("feature-y");
		assertThat(this.execution.headers.get(IsolationTags.FAIL_FAST)).containsExactly("inventory");
	}

	@Test
	void shouldPutNothingOnAnUntaggedRequest() throws IOException {
		// given
		IsolationClientHttpRequestInterceptor interceptor = new IsolationClientHttpRequestInterceptor(
				() -> IsolationTag.UNTAGGED);
		this.request.getHeaders().set("Accept", "application/json");

		// when
		interceptor.intercept(this.request, this.body, this.execution);

		// then
		assertThat(this.execution.headers.headerNames()).containsExactly("Accept");
	}

	@Test
	void shouldPutOnlyTheFailFastServicesOfAStableRequest() throws IOException {
		// given
		IsolationClientHttpRequestInterceptor interceptor = new IsolationClientHttpRequestInterceptor(
				() -> new IsolationTag(IsolationGroup.STABLE, FailFastServices.of(List.of("inventory"))));

		// when
		interceptor.intercept(this.request, this.body, this.execution);

		// then
		assertThat(this.execution.headers.containsHeader(IsolationTags.GROUP)).isFalse();
		assertThat(this.execution.headers.get(IsolationTags.FAIL_FAST)).containsExactly("inventory");
	}

	@Test
	void shouldRunBeforeEveryUnorderedInterceptor() {
		// given
		IsolationClientHttpRequestInterceptor interceptor = new IsolationClientHttpRequestInterceptor(
				() -> IsolationTag.UNTAGGED);

		// when
		int order = interceptor.getOrder();

		// then
		assertThat(order).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
	}

	/** The rest of the chain: notes what it was asked to execute. */
	static final class CapturingExecution implements ClientHttpRequestExecution {

		final ClientHttpResponse response = new MockClientHttpResponse(new byte[0], HttpStatus.OK);

		HttpRequest request;

		byte[] body;

		HttpHeaders headers;

		@Override
		public ClientHttpResponse execute(HttpRequest request, byte[] body) {
			this.request = request;
			this.body = body;
			this.headers = HttpHeaders.copyOf(request.getHeaders());
			return this.response;
		}

	}

}
