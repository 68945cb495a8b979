package io.github.isolation.autoconfigure.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.isolation.autoconfigure.RoutingListener;
import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.TagRejection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EdgePolicyTests {

	private final List<String> rejections = new ArrayList<>();

	private final RoutingListeners listeners = new RoutingListeners(List.of(new RoutingListener() {

		@Override
		public void rejected(String field, TagRejection reason) {
			EdgePolicyTests.this.rejections.add(field + " " + reason);
		}

	}));

	private final GroupBindings bindings = new GroupBindings() {

		@Override
		public Optional<IsolationGroup> instanceGroup(String serviceId, String host, int port) {
			return Optional.empty();
		}

		@Override
		public Optional<IsolationGroup> sourceGroup(String address) {
			return Optional.ofNullable(Map.of("10.0.0.9", IsolationGroup.of("feature-s"), "10.0.0.8",
					IsolationGroup.of("hotfix-s")).get(address));
		}

	};

	@Test
	void shouldTakeTheHeaderThenTheBaggageEntryThenTheCookieThenTheSourceBinding() {
		EdgePolicy policy = policy(List.of(), List.of(), List.of());

		assertThat(policy.decide(request("10.0.0.9").header("isolation-group", "feature-h")
			.header("baggage", "isolation-group=feature-b").cookie("feature-c"))).extracting(EdgeDecision::group, EdgeDecision::source)
			.containsExactly(IsolationGroup.of("feature-h"), EdgeDecision.Source.HEADER);
		assertThat(policy.decide(request("10.0.0.9").header("baggage", "isolation-group=feature-b").cookie("feature-c")).group())
			.isEqualTo(IsolationGroup.of("feature-b"));
		assertThat(policy.decide(request("10.0.0.9").cookie("feature-c"))).extracting(EdgeDecision::group, EdgeDecision::source)
			.containsExactly(IsolationGroup.of("feature-c"), EdgeDecision.Source.COOKIE);
		assertThat(policy.decide(request("10.0.0.9"))).extracting(EdgeDecision::group, EdgeDecision::source)
			.containsExactly(IsolationGroup.of("feature-s"), EdgeDecision.Source.SOURCE_BINDING);
		assertThat(policy.decide(request("10.0.0.1"))).extracting(EdgeDecision::group, EdgeDecision::source)
			.containsExactly(null, EdgeDecision.Source.NONE);
		assertThat(this.rejections).isEmpty();
	}

	@Test
	void shouldDropTagsAndFailFastListsFromCallersNotAcceptedAndFallBackToTheSourceBinding() {
		EdgePolicy policy = policy(List.of(), List.of("192.168.0.0/16"), List.of());

		EdgeDecision decision = policy.decide(request("10.0.0.9").header("isolation-group", "feature-h")
			.cookie("feature-c")
			.header("isolation-fail-fast", "inventory"));

		assertThat(decision.group()).isEqualTo(IsolationGroup.of("feature-s"));
		assertThat(decision.failFast().isEmpty()).isTrue();
		assertThat(this.rejections).containsExactly("isolation-group UNTRUSTED_SOURCE", "isolation-group UNTRUSTED_SOURCE",
				"isolation-fail-fast UNTRUSTED_SOURCE");
		assertThat(policy.decide(request("192.168.1.1").header("isolation-fail-fast", "inventory")).failFast().contains("inventory"))
			.isTrue();
	}

	@Test
	void shouldDropGroupsNotAllowedWhetherTaggedOrBound() {
		EdgePolicy policy = policy(List.of(), List.of(), List.of("feature-*"));

		assertThat(policy.decide(request("10.0.0.8").header("isolation-group", "hotfix-h")).group()).isNull();
		assertThat(policy.decide(request("10.0.0.8").header("isolation-group", "feature-h")).group())
			.isEqualTo(IsolationGroup.of("feature-h"));
		assertThat(this.rejections).containsExactly("isolation-group GROUP_NOT_ALLOWED", "isolation-group GROUP_NOT_ALLOWED");
	}

	@Test
	void shouldDropMalformedTagsSayingWhy() {
		EdgePolicy policy = policy(List.of(), List.of(), List.of());

		assertThat(policy.decide(request("10.0.0.1").header("isolation-group", "Feature-X").cookie("x".repeat(200))).group())
			.isNull();
		assertThat(this.rejections).containsExactly("isolation-group INVALID_CHARACTERS", "isolation-group TOO_LONG");
	}

	@Test
	void shouldFindTheCallerThroughTrustedProxiesOnly() {
		EdgePolicy policy = policy(List.of("10.1.0.0/16"), List.of(), List.of());

		assertThat(policy.clientAddress(request("10.1.0.1").header("X-Forwarded-For", "10.0.0.9"))).isEqualTo("10.0.0.9");
		assertThat(policy.clientAddress(request("10.2.0.1").header("X-Forwarded-For", "10.0.0.9"))).isEqualTo("10.2.0.1");
		assertThat(policy.clientAddress(request("10.1.0.1").header("X-Forwarded-For", "10.0.0.9, 10.1.0.2")))
			.isEqualTo("10.0.0.9");
		assertThat(policy.clientAddress(request("10.1.0.1").header("X-Forwarded-For", "10.0.0.9, 10.7.0.2")))
			.isEqualTo("10.7.0.2");
		assertThat(policy.clientAddress(request("10.1.0.1").header("X-Forwarded-For", "10.0.0.9, _hidden")))
			.isEqualTo("10.1.0.1");
		assertThat(policy.clientAddress(request("10.1.0.1").header("Forwarded", "for=10.0.0.9;proto=https, for=\"[fd00::7]:80\"")))
			.isEqualTo("fd00:0:0:0:0:0:0:7");
		assertThat(policy.clientAddress(request("10.1.0.1").header("Forwarded", "for=unknown"))).isEqualTo("10.1.0.1");
		assertThat(policy.clientAddress(request("10.1.0.1").header("X-Forwarded-For", "10.0.0.9,".repeat(1000))))
			.isEqualTo("10.1.0.1");
	}

	private EdgePolicy policy(List<String> trustedProxies, List<String> acceptTagsFrom, List<String> allowedGroups) {
		return new EdgePolicy(AddressRanges.of(trustedProxies), AddressRanges.of(acceptTagsFrom),
				AllowedGroups.of(allowedGroups), this.bindings, this.listeners);
	}

	private static Request request(String remoteAddress) {
		return new Request(remoteAddress);
	}

	private static final class Request implements EdgeRequest {

		private final String remoteAddress;

		private final Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);

		private final List<String> cookies = new ArrayList<>();

		Request(String remoteAddress) {
			this.remoteAddress = remoteAddress;
		}

		Request header(String name, String value) {
			this.headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
			return this;
		}

		Request cookie(String value) {
			this.cookies.add(value);
			return this;
		}

		@Override
		public String remoteAddress() {
			return this.remoteAddress;
		}

		@Override
		public List<String> headers(String name) {
			return this.headers.getOrDefault(name, List.of());
		}

		@Override
		public List<String> cookies(String name) {
			return name.equals("isolation-group") ? this.cookies : List.of();
		}

	}

}
