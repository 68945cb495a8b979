package io.github.isolation.autoconfigure.edge;

import java.util.Collections;
import java.util.List;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header rewriting of {@link EdgeHeaders} and {@link EdgeRequestWrapper}.
 */
class EdgeHeadersTests {

	@Test
	void shouldRemoveTheIsolationEntriesOfABaggageValueAndKeepTheOthers() {
		assertThat(EdgeHeaders.withoutTags("tenant=acme,isolation-group=feature-x;p=1,user=7"))
			.isEqualTo("tenant=acme,user=7");
		assertThat(EdgeHeaders.withoutTags(" Isolation-Group = feature-x , isolation-fail-fast=a%2Cb")).isNull();
		assertThat(EdgeHeaders.withoutTags("isolation-group;p=1,x=y")).isEqualTo("x=y");
		assertThat(EdgeHeaders.withoutTags("tenant=acme")).isEqualTo("tenant=acme");
		assertThat(EdgeHeaders.withoutTags("isolation-groupie=1")).isEqualTo("isolation-groupie=1");
	}

	@Test
	void shouldLeaveNoWhitespaceAtEitherEndOfARebuiltValue() {
		// A client such as Reactor Netty refuses a header value that starts with whitespace.
		assertThat(EdgeHeaders.withoutTags("isolation-group=x , -y")).isEqualTo("-y");
		assertThat(EdgeHeaders.withoutTags("a=1 ,\tisolation-group=x,\tb=2 ")).isEqualTo("a=1,b=2");
	}

	@Test
	void shouldHideEveryReceivedTagWhenTheEdgeDecidedNothing() {
		MockHttpServletRequest request = request();

		EdgeRequestWrapper wrapper = new EdgeRequestWrapper(request, decision(null, FailFastServices.NONE));

		assertThat(wrapper.getHeader("isolation-group")).isNull();
		assertThat(wrapper.getHeader("ISOLATION-GROUP")).isNull();
		assertThat(Collections.list(wrapper.getHeaders("isolation-fail-fast"))).isEmpty();
		assertThat(Collections.list(wrapper.getHeaders("baggage"))).containsExactly("tenant=acme");
		assertThat(wrapper.getHeader("Baggage")).isEqualTo("tenant=acme");
		assertThat(Collections.list(wrapper.getHeaderNames())).containsExactlyInAnyOrder("baggage", "Accept");
		assertThat(wrapper.getHeader("accept")).isEqualTo("text/plain");
	}

	@Test
	void shouldPresentOnlyWhatTheEdgeDecided() {
		MockHttpServletRequest request = request();

		EdgeRequestWrapper wrapper = new EdgeRequestWrapper(request,
				decision(IsolationGroup.of("feature-x"), FailFastServices.of(List.of("inventory"))));

		assertThat(Collections.list(wrapper.getHeaders("Isolation-Group"))).containsExactly("feature-x");
		assertThat(wrapper.getHeader("isolation-fail-fast")).isEqualTo("inventory");
		assertThat(Collections.list(wrapper.getHeaders("baggage"))).containsExactly("tenant=acme");
		assertThat(Collections.list(wrapper.getHeaderNames())).containsExactlyInAnyOrder("baggage", "Accept",
				"isolation-group", "isolation-fail-fast");
	}

	@Test
	void shouldDropABaggageHeaderThatHeldOnlyIsolationEntries() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.addHeader("baggage", "isolation-group=hotfix-1");

		EdgeRequestWrapper wrapper = new EdgeRequestWrapper(request, decision(null, FailFastServices.NONE));

		assertThat(wrapper.getHeader("baggage")).isNull();
		assertThat(Collections.list(wrapper.getHeaderNames())).isEmpty();
	}

	private static MockHttpServletRequest request() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.addHeader("isolation-group", "hotfix-1");
		request.addHeader("isolation-fail-fast", "billing");
		request.addHeader("baggage", "isolation-group=hotfix-1,tenant=acme");
		request.addHeader("baggage", "isolation-fail-fast=billing");
		request.addHeader("Accept", "text/plain");
		return request;
	}

	private static EdgeDecision decision(IsolationGroup group, FailFastServices failFast) {
		return new EdgeDecision("127.0.0.1", group,
				(group != null) ? EdgeDecision.Source.HEADER : EdgeDecision.Source.NONE, failFast, true);
	}

}
