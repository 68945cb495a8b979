package io.github.isolation.feign;

import java.util.List;

import feign.RequestTemplate;
import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationFeignRequestInterceptor}.
 */
class IsolationFeignRequestInterceptorTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private final RequestTemplate template = new RequestTemplate().method(feign.Request.HttpMethod.GET).uri("/items");

	@Test
	void shouldPutTheGroupAndTheFailFastServicesOnTheRequest() {
		// given
		IsolationFeignRequestInterceptor interceptor = new IsolationFeignRequestInterceptor(
				() -> new IsolationTag(FEATURE_X, FailFastServices.of(List.of("inventory", "billing"))));

		// when
		interceptor.apply(this.template);

		// then
		assertThat(this.template.headers().get(IsolationTags.GROUP)).containsExactly("feature-x");
		assertThat(this.template.headers().get(IsolationTags.FAIL_FAST)).singleElement()
			.satisfies((value) -> assertThat(FailFastServices.parse(value, (rejection) -> {
			})).isEqualTo(FailFastServices.of(List.of("inventory", "billing"))));
	}

	@Test
	void shouldPutOnlyTheGroupWhenThereIsNoFailFastService() {
		// given
		IsolationFeignRequestInterceptor interceptor = new IsolationFeignRequestInterceptor(
				() -> new IsolationTag(FEATURE_X, FailFastServices.NONE));

		// when
		interceptor.apply(this.template);

		// then
		assertThat(this.template.headers()).containsOnlyKeys(IsolationTags.GROUP);
	}

	@Test
	void shouldPutTheFailFastServicesOfAStableRequest() {
		// given
		IsolationFeignRequestInterceptor interceptor = new IsolationFeignRequestInterceptor(
				() -> new IsolationTag(IsolationGroup.STABLE, FailFastServices.of(List.of("inventory"))));

		// when
		interceptor.apply(this.template);

		// then
		assertThat(this.template.headers()).containsOnlyKeys(IsolationTags.FAIL_FAST);
		assertThat(this.template.headers().get(IsolationTags.FAIL_FAST)).containsExactly("inventory");
	}

	@Test
	void shouldKeepAHeaderTheCallerSet() {
		// given
		IsolationFeignRequestInterceptor interceptor = new IsolationFeignRequestInterceptor(
				() -> new IsolationTag(FEATURE_X, FailFastServices.of(List.of("inventory"))));
		this.template.header("Isolation-Group", "feature-y");

		// when
		interceptor.apply(this.template);

		// then
		assertThat(this.template.headers().get(IsolationTags.GROUP)).containsExactly("feature-y");
		assertThat(this.template.headers().get(IsolationTags.FAIL_FAST)).containsExactly("inventory");
	}

	@Test
	void shouldPutNothingOnAnUntaggedRequest() {
		// given
		IsolationFeignRequestInterceptor interceptor = new IsolationFeignRequestInterceptor(
				() -> IsolationTag.UNTAGGED);

		// when
		interceptor.apply(this.template);

		// then
		assertThat(this.template.headers()).isEmpty();
	}

	@Test
	void shouldReadTheTagAtEachCall() {
		// given
		IsolationTag[] current = { new IsolationTag(FEATURE_X, FailFastServices.NONE) };
		IsolationFeignRequestInterceptor interceptor = new IsolationFeignRequestInterceptor(() -> current[0]);
		RequestTemplate second = new RequestTemplate();

		// when
		interceptor.apply(this.template);
		current[0] = IsolationTag.UNTAGGED;
		interceptor.apply(second);

		// then
		assertThat(this.template.headers()).containsOnlyKeys(IsolationTags.GROUP);
		assertThat(second.headers()).isEmpty();
	}

}
