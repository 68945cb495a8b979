package io.github.isolation.autoconfigure.edge;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import java.util.List;
import java.util.Map;

import io.github.isolation.autoconfigure.TagSanitizingFilter;
import io.github.isolation.autoconfigure.observation.IsolationEndpoint;
import io.github.isolation.autoconfigure.observation.IsolationObservationAutoConfiguration;
import io.github.isolation.autoconfigure.reactive.IsolationReactiveAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

class IsolationEdgeAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(IsolationAutoConfiguration.class, IsolationEdgeAutoConfiguration.class));

	@Test
	void shouldStayOffUnlessEnabled() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(IsolationEdgeServletFilter.class)
			.doesNotHaveBean(EdgePolicy.class)
			.hasSingleBean(TagSanitizingFilter.class));
	}

	@Test
	void shouldRegisterTheServletFilterBeforeEveryOtherWhenEnabled() {
		this.runner.withPropertyValues("isolation.edge.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(IsolationEdgeServletFilter.class);
			assertThat(context.getBean(IsolationEdgeServletFilter.class).getOrder())
				.isEqualTo(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
			// The edge's own decision hides every tag it did not accept; a second filter in the
			// same place would run in no fixed order.
			assertThat(context).doesNotHaveBean(TagSanitizingFilter.class);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void shouldShowItsSettingsInTheIsolationEndpoint() {
		this.runner.withConfiguration(AutoConfigurations.of(IsolationObservationAutoConfiguration.class))
			.withPropertyValues("isolation.edge.enabled=true", "isolation.edge.accept-tags-from=10.0.0.0/8",
					"isolation.edge.allowed-groups=feature-*", "management.endpoints.web.exposure.include=isolation")
			.run((context) -> {
				Map<String, Object> settings = (Map<String, Object>) context.getBean(IsolationEndpoint.class)
					.isolation()
					.get("settings");
				assertThat((Map<String, Object>) settings.get("edge")).containsEntry("enabled", true)
					.containsEntry("acceptTagsFrom", List.of("10.0.0.0/8"))
					.containsEntry("allowedGroups", List.of("feature-*"))
					.containsEntry("trustedProxies", List.of());
				assertThat(settings).containsEntry("problemDetails", true);
			});
	}

	@Test
	void shouldStayOffWhenIsolationIsDisabled() {
		this.runner.withPropertyValues("isolation.enabled=false", "isolation.edge.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(EdgePolicy.class));
	}

	@Test
	void shouldFailToStartOnARangeThatIsNotACidr() {
		this.runner.withPropertyValues("isolation.edge.enabled=true", "isolation.edge.accept-tags-from=10.0.0.0/33")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("isolation.edge.accept-tags-from")
				.hasMessageContaining("'10.0.0.0/33'"));
	}

	@Test
	void shouldRegisterTheWebFilterAsTheOutermostHttpHandlerDecoratorInAReactiveApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IsolationAutoConfiguration.class,
					IsolationReactiveAutoConfiguration.class, IsolationEdgeAutoConfiguration.class))
			.withPropertyValues("isolation.edge.enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(IsolationEdgeWebFilter.class)
					.doesNotHaveBean(IsolationEdgeServletFilter.class);
				assertThat(context.getBeanProvider(HttpHandlerDecoratorFactory.class).orderedStream())
					.first()
					.isSameAs(context.getBean(IsolationEdgeWebFilter.class));
				assertThat(context.getBeanProvider(WebFilter.class).orderedStream())
					.containsExactly(context.getBean(IsolationEdgeWebFilter.class));
			});
	}

	@Test
	void shouldNotRegisterTheWebFilterInAServletApplication() {
		this.runner.withPropertyValues("isolation.edge.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(IsolationEdgeWebFilter.class));
	}

	@Test
	void shouldNotRegisterTheServletFilterInAReactiveApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IsolationAutoConfiguration.class, IsolationEdgeAutoConfiguration.class))
			.withPropertyValues("isolation.edge.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(EdgePolicy.class)
				.doesNotHaveBean(IsolationEdgeServletFilter.class));
	}

}
