package io.github.isolation.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.TagRejection;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TagSanitizingFilter}: what the rest of the chain, tracing included, sees of
 * a request's tags.
 */
class TagSanitizingFilterTests {

	private final List<String> dropped = new ArrayList<>();

	private final TagSanitizingFilter filter = new TagSanitizingFilter(
			new RoutingListeners(List.of(new RoutingListener() {

				@Override
				public void rejected(String field, TagRejection reason) {
					TagSanitizingFilterTests.this.dropped.add(field + ": " + reason);
				}

			})));

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/items");

	@Test
	void shouldHandOnARequestWithoutTagsAsItIs() throws Exception {
		this.request.addHeader("baggage", "user-id=42");

		assertThat(filtered()).isSameAs(this.request);
	}

	@Test
	void shouldHandOnARequestCarryingOnlyAcceptedSingleHeadersAsItIs() throws Exception {
		this.request.addHeader(IsolationTags.GROUP, "feature-x");
		this.request.addHeader(IsolationTags.FAIL_FAST, "b");

		assertThat(filtered()).isSameAs(this.request);
	}

	@Test
	void shouldHideAMalformedSingleHeaderThatTheW3cFormWouldReadAsValid() throws Exception {
		// given: a property separator, which the W3C form reads as the start of properties
		this.request.addHeader(IsolationTags.GROUP, "feature-x;p");
		this.request.addHeader(IsolationTags.FAIL_FAST, "c;p");

		// when
		HttpServletRequest seen = filtered();

		// then
		assertThat(seen.getHeader(IsolationTags.GROUP)).isNull();
		assertThat(seen.getHeader(IsolationTags.FAIL_FAST)).isNull();
		assertThat(Collections.list(seen.getHeaderNames())).doesNotContain(IsolationTags.GROUP, IsolationTags.FAIL_FAST);
		assertThat(this.dropped).containsExactly("isolation-group: INVALID_CHARACTERS",
				"isolation-fail-fast: INVALID_CHARACTERS");
	}

	@Test
	void shouldPresentTheAcceptedW3cEntriesAsSingleHeadersAndKeepTheOtherEntries() throws Exception {
		// given
		this.request.addHeader(IsolationTags.GROUP, "Feature-X");
		this.request.addHeader("baggage", "user-id=42, isolation-group=feature-y;p,isolation-fail-fast=b%2Cc");
		this.request.addHeader("baggage", "Isolation-Group=feature-z");

		// when
		HttpServletRequest seen = filtered();

		// then
		assertThat(Collections.list(seen.getHeaders(IsolationTags.GROUP))).containsExactly("feature-y");
		assertThat(Collections.list(seen.getHeaders(IsolationTags.FAIL_FAST))).singleElement()
			.satisfies((value) -> assertThat(value.split(",")).containsExactlyInAnyOrder("b", "c"));
		assertThat(Collections.list(seen.getHeaders("baggage"))).containsExactly("user-id=42");
		assertThat(this.dropped).containsExactly("isolation-group: INVALID_CHARACTERS");
	}

	@Test
	void shouldPresentOneValueOfARepeatedHeader() throws Exception {
		this.request.addHeader(IsolationTags.GROUP, "feature-x");
		this.request.addHeader(IsolationTags.GROUP, "feature-y");

		HttpServletRequest seen = filtered();

		assertThat(Collections.list(seen.getHeaders(IsolationTags.GROUP))).containsExactly("feature-x");
	}

	@Test
	void shouldCountAnUndecodableW3cEntry() throws Exception {
		this.request.addHeader("baggage", "isolation-group=feature%2");

		HttpServletRequest seen = filtered();

		assertThat(seen.getHeader("baggage")).isNull();
		assertThat(seen.getHeader(IsolationTags.GROUP)).isNull();
		assertThat(this.dropped).containsExactly("isolation-group: INVALID_CHARACTERS");
	}

	private HttpServletRequest filtered() throws Exception {
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(this.request, new MockHttpServletResponse(), chain);
		return (HttpServletRequest) chain.getRequest();
	}

}
