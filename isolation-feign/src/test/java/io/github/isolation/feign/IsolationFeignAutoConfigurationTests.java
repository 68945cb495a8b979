package io.github.isolation.feign;

import java.util.List;

import feign.Capability;
import feign.RequestInterceptor;
import feign.RequestTemplate;
import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationFeignAutoConfiguration}.
 */
class IsolationFeignAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(IsolationAutoConfiguration.class, IsolationFeignAutoConfiguration.class));

	@Test
	void shouldProvideTheInterceptor() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(IsolationFeignRequestInterceptor.class)
			.getBeans(RequestInterceptor.class)
			.hasSize(1));
	}

	@Test
	void shouldTagCallsWithTheApplicationsGroup() {
		this.runner.withPropertyValues("isolation.group=feature-x").run((context) -> {
			RequestTemplate template = new RequestTemplate();
			context.getBean(RequestInterceptor.class).apply(template);
			assertThat(template.headers().get(IsolationTags.GROUP)).containsExactly("feature-x");
		});
	}

	@Test
	void shouldTagCallsFromTheUsersIsolationContext() {
		IsolationContext userContext = () -> new IsolationTag(IsolationGroup.of("feature-y"),
				FailFastServices.of(List.of("inventory")));
		this.runner.withBean(IsolationContext.class, () -> userContext).run((context) -> {
			RequestTemplate template = new RequestTemplate();
			context.getBean(RequestInterceptor.class).apply(template);
			assertThat(template.headers().get(IsolationTags.GROUP)).containsExactly("feature-y");
			assertThat(template.headers().get(IsolationTags.FAIL_FAST)).containsExactly("inventory");
		});
	}

	@Test
	void shouldNotReadTheRouteHeaderOfResponsesByDefault() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(RouteHeaderCapability.class)
			.getBeans(Capability.class)
			.isEmpty());
	}

	@Test
	void shouldReadTheRouteHeaderOfResponsesWhenTheDebugHeaderIsOn() {
		this.runner.withPropertyValues("isolation.debug.route-header=true")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(RouteHeaderCapability.class));
	}

	@Test
	void shouldBackOffWhenIsolationIsDisabled() {
		this.runner.withPropertyValues("isolation.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IsolationContext.class)
				.doesNotHaveBean(IsolationFeignRequestInterceptor.class));
	}

	@Test
	void shouldBackOffWithoutFeign() {
		this.runner.withClassLoader(new FilteredClassLoader(RequestInterceptor.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(IsolationContext.class)
				.doesNotHaveBean(IsolationFeignRequestInterceptor.class));
	}

	@Test
	void shouldUseTheUsersInterceptor() {
		IsolationFeignRequestInterceptor userInterceptor = new IsolationFeignRequestInterceptor(
				() -> IsolationTag.UNTAGGED);
		this.runner.withBean(IsolationFeignRequestInterceptor.class, () -> userInterceptor)
			.run((context) -> assertThat(context).getBean(IsolationFeignRequestInterceptor.class)
				.isSameAs(userInterceptor));
	}

}
