package io.github.isolation.autoconfigure.reactive;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.autoconfigure.RoutingListener;
import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.TagRejection;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationHttpHandlerDecorator}.
 */
class IsolationHttpHandlerDecoratorTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private final List<String> rejected = new ArrayList<>();

	private final RoutingListeners listeners = new RoutingListeners(List.of(new RoutingListener() {

		@Override
		public void rejected(String field, TagRejection reason) {
			IsolationHttpHandlerDecoratorTests.this.rejected.add(field + " " + reason);
		}

	}));

	private final AtomicReference<ServerHttpRequest> handed = new AtomicReference<>();

	private final AtomicReference<IsolationTag> requestTag = new AtomicReference<>();

	@Test
	void shouldHandOnARequestCarryingOnlyAValidGroupHeaderAsItIs() {
		MockServerHttpRequest request = MockServerHttpRequest.get("/").header("isolation-group", "feature-x").build();

		handle(IsolationGroup.STABLE, request);

		assertThat(this.handed.get()).isSameAs(request);
		assertThat(this.requestTag.get()).isEqualTo(new IsolationTag(FEATURE_X, FailFastServices.NONE));
	}

	@Test
	void shouldMoveTheW3cEntriesToSingleHeadersAndKeepTheOtherEntries() {
		handle(IsolationGroup.STABLE, MockServerHttpRequest.get("/")
			.header("baggage", "tenant=acme,isolation-group=feature-x,isolation-fail-fast=c%2Cd;ttl=1")
			.build());

		assertThat(this.handed.get().getHeaders().getFirst("isolation-group")).isEqualTo("feature-x");
		FailFastServices failFast = FailFastServices.of(List.of("c", "d"));
		assertThat(FailFastServices.parse(this.handed.get().getHeaders().getFirst("isolation-fail-fast"), (rejection) -> {
		})).isEqualTo(failFast);
		assertThat(this.handed.get().getHeaders().getValuesAsList("baggage")).containsExactly("tenant=acme");
		assertThat(this.requestTag.get()).isEqualTo(new IsolationTag(FEATURE_X, failFast));
	}

	@Test
	void shouldPreferTheSingleHeaderToTheW3cEntry() {
		handle(IsolationGroup.STABLE, MockServerHttpRequest.get("/")
			.header("isolation-group", "feature-x")
			.header("baggage", "isolation-group=feature-y")
			.build());

		assertThat(this.handed.get().getHeaders().getValuesAsList("isolation-group")).containsExactly("feature-x");
		assertThat(this.handed.get().getHeaders().getFirst("baggage")).isNull();
	}

	@Test
	void shouldDropAndReportAMalformedTagWithoutFailingTheRequest() {
		handle(IsolationGroup.STABLE, MockServerHttpRequest.get("/")
			.header("isolation-group", "Feature-X")
			.header("baggage", "isolation-fail-fast=Bad Id!")
			.build());

		assertThat(this.handed.get().getHeaders().getFirst("isolation-group")).isNull();
		assertThat(this.handed.get().getHeaders().getFirst("baggage")).isNull();
		assertThat(this.requestTag.get()).isNull();
		assertThat(this.rejected).containsExactly("isolation-group INVALID_CHARACTERS",
				"isolation-fail-fast INVALID_CHARACTERS");
	}

	@Test
	void shouldGiveAnUntaggedRequestTheGroupOfTheInstance() {
		handle(FEATURE_X, MockServerHttpRequest.get("/").build());

		assertThat(this.handed.get().getHeaders().getFirst("isolation-group")).isEqualTo("feature-x");
		assertThat(this.requestTag.get()).isEqualTo(new IsolationTag(FEATURE_X, FailFastServices.NONE));
	}

	@Test
	void shouldKeepAnExplicitStableTagAtAnInstanceOfAnotherGroup() {
		handle(FEATURE_X, MockServerHttpRequest.get("/").header("isolation-group", "stable").build());

		assertThat(this.handed.get().getHeaders().getFirst("isolation-group")).isEqualTo("stable");
		assertThat(this.requestTag.get()).isEqualTo(IsolationTag.UNTAGGED);
	}

	@Test
	void shouldLeaveAnUntaggedRequestAtAStableInstanceAlone() {
		MockServerHttpRequest request = MockServerHttpRequest.get("/").header("baggage", "tenant=acme").build();

		handle(IsolationGroup.STABLE, request);

		assertThat(this.handed.get()).isSameAs(request);
		assertThat(this.requestTag.get()).isNull();
	}

	private void handle(IsolationGroup localGroup, MockServerHttpRequest request) {
		new IsolationHttpHandlerDecorator(() -> localGroup, this.listeners)
			.apply((handed, response) -> Mono.deferContextual((context) -> {
				this.handed.set(handed);
				this.requestTag.set(IsolationReactorContext.requestTag(context).orElse(null));
				return Mono.empty();
			}))
			.handle(request, new MockServerHttpResponse())
			.block();
	}

}
