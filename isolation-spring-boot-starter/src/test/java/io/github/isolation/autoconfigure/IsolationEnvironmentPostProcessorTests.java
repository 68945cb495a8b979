package io.github.isolation.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationEnvironmentPostProcessor}.
 */
class IsolationEnvironmentPostProcessorTests {

	private static final String REMOTE_FIELDS = "management.tracing.baggage.remote-fields";

	private static final List<String> METADATA_KEYS = List.of(
			"spring.cloud.zookeeper.discovery.metadata.isolation-group",
			"spring.cloud.consul.discovery.metadata.isolation-group", "eureka.instance.metadata-map.isolation-group",
			"spring.cloud.nacos.discovery.metadata.isolation-group");

	private final IsolationEnvironmentPostProcessor postProcessor = new IsolationEnvironmentPostProcessor();

	@Test
	void shouldAddTheIsolationFieldsToTheRemoteBaggageFields() {
		// given
		ConfigurableEnvironment environment = environment(Map.of());

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		assertThat(remoteFields(environment)).containsExactly("isolation-group", "isolation-fail-fast");
	}

	@Test
	void shouldKeepTheUsersOwnFieldsGivenAsACommaSeparatedList() {
		// given
		ConfigurableEnvironment environment = environment(Map.of(REMOTE_FIELDS, "user-id, tenant"));

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		assertThat(remoteFields(environment)).containsExactly("user-id", "tenant", "isolation-group",
				"isolation-fail-fast");
	}

	@Test
	void shouldKeepTheUsersOwnFieldsGivenAsAnIndexedList() {
		// given
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(REMOTE_FIELDS + "[0]", "user-id");
		properties.put(REMOTE_FIELDS + "[1]", "tenant");
		ConfigurableEnvironment environment = environment(properties);

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		assertThat(remoteFields(environment)).containsExactly("user-id", "tenant", "isolation-group",
				"isolation-fail-fast");
	}

	@Test
	void shouldNotDuplicateAFieldTheUserAlreadyLists() {
		// given
		ConfigurableEnvironment environment = environment(Map.of(REMOTE_FIELDS, "isolation-group,user-id"));

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		assertThat(remoteFields(environment)).containsExactly("isolation-group", "user-id", "isolation-fail-fast");
	}

	@Test
	void shouldAddNothingWhenTheUserListsBothFields() {
		// given
		ConfigurableEnvironment environment = environment(Map.of(REMOTE_FIELDS, "isolation-fail-fast,isolation-group",
				"management.tracing.baggage.correlation.fields", "isolation-group"));

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		assertThat(environment.getPropertySources().contains(IsolationEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
		assertThat(remoteFields(environment)).containsExactly("isolation-fail-fast", "isolation-group");
	}

	@Test
	void shouldDoNothingWhenIsolationIsDisabled() {
		// given
		ConfigurableEnvironment environment = environment(
				Map.of("isolation.enabled", "false", "isolation.group", "feature-x", REMOTE_FIELDS, "user-id"));

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		assertThat(environment.getPropertySources().contains(IsolationEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
		assertThat(remoteFields(environment)).containsExactly("user-id");
		METADATA_KEYS.forEach((key) -> assertThat(environment.containsProperty(key)).as(key).isFalse());
	}

	@Test
	void shouldPutANonStableGroupIntoTheDiscoveryMetadata() {
		// given
		ConfigurableEnvironment environment = environment(Map.of("isolation.group", "feature-x"));

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		METADATA_KEYS.forEach((key) -> assertThat(environment.getProperty(key)).as(key).isEqualTo("feature-x"));
	}

	@Test
	void shouldNotOverrideDiscoveryMetadataTheUserSet() {
		// given
		ConfigurableEnvironment environment = environment(Map.of("isolation.group", "feature-x",
				"eureka.instance.metadata-map.isolation-group", "feature-y"));

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		assertThat(environment.getProperty("eureka.instance.metadata-map.isolation-group")).isEqualTo("feature-y");
		assertThat(environment.getProperty("spring.cloud.zookeeper.discovery.metadata.isolation-group"))
			.isEqualTo("feature-x");
	}

	@Test
	void shouldNotOverrideDiscoveryMetadataTheUserSetInBracketNotation() {
		// given: the map-key notation Spring Boot documents, in an environment set up as
		// SpringApplication sets it up
		ConfigurableEnvironment environment = environment(Map.of("isolation.group", "feature-x",
				"eureka.instance.metadata-map[isolation-group]", "feature-y",
				"spring.cloud.consul.discovery.metadata[isolation-group]", "feature-y"));
		ConfigurationPropertySources.attach(environment);

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		assertThat(metadata(environment, "eureka.instance.metadata-map")).containsEntry("isolation-group", "feature-y");
		assertThat(metadata(environment, "spring.cloud.consul.discovery.metadata")).containsEntry("isolation-group",
				"feature-y");
		assertThat(metadata(environment, "spring.cloud.zookeeper.discovery.metadata")).containsEntry("isolation-group",
				"feature-x");
	}

	@Test
	void shouldPutNoDiscoveryMetadataForTheStableGroup() {
		// given
		ConfigurableEnvironment environment = environment(Map.of("isolation.group", "stable"));

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		METADATA_KEYS.forEach((key) -> assertThat(environment.containsProperty(key)).as(key).isFalse());
		assertThat(remoteFields(environment)).containsExactly("isolation-group", "isolation-fail-fast");
	}

	@Test
	void shouldPutNoDiscoveryMetadataForAnInvalidGroup() {
		// given
		ConfigurableEnvironment environment = environment(Map.of("isolation.group", "Feature X"));

		// when
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		// then
		METADATA_KEYS.forEach((key) -> assertThat(environment.containsProperty(key)).as(key).isFalse());
	}

	@Test
	void shouldSeeTheApplicationsConfigurationFiles() {
		// given
		SpringApplication application = new SpringApplication(EmptyConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);

		// when
		try (ConfigurableApplicationContext context = application.run("--spring.config.name=isolation-environment-test",
				"--spring.main.banner-mode=off")) {
			ConfigurableEnvironment environment = context.getEnvironment();

			// then
			assertThat(remoteFields(environment)).containsExactly("user-id", "isolation-group", "isolation-fail-fast");
			assertThat(environment.getProperty("spring.cloud.zookeeper.discovery.metadata.isolation-group"))
				.isEqualTo("feature-x");
		}
	}

	@Test
	void shouldNotOverrideWhatTheApplicationSetsAsItsDefaultProperties() {
		// given: defaults given to SpringApplication (SpringApplicationBuilder.properties), whose
		// property source Spring Boot moves behind every other once the environment is prepared
		SpringApplication application = new SpringApplication(EmptyConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("isolation.group", "feature-x", "spring.main.banner-mode", "off",
				"eureka.instance.metadata-map.isolation-group", "stable",
				"spring.cloud.consul.discovery.metadata[isolation-group]", "feature-y", "logging.pattern.correlation",
				"[%X{traceId:-}] "));

		// when
		try (ConfigurableApplicationContext context = application.run()) {
			ConfigurableEnvironment environment = context.getEnvironment();

			// then
			assertThat(metadata(environment, "eureka.instance.metadata-map")).containsEntry("isolation-group", "stable");
			assertThat(metadata(environment, "spring.cloud.consul.discovery.metadata")).containsEntry("isolation-group",
					"feature-y");
			assertThat(metadata(environment, "spring.cloud.zookeeper.discovery.metadata"))
				.containsEntry("isolation-group", "feature-x");
			assertThat(environment.getProperty("logging.pattern.correlation")).isEqualTo("[%X{traceId:-}] ");
		}
	}

	private static ConfigurableEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addLast(new MapPropertySource("application", properties));
		return environment;
	}

	private static List<String> remoteFields(ConfigurableEnvironment environment) {
		return Binder.get(environment).bind(REMOTE_FIELDS, Bindable.listOf(String.class)).orElse(List.of());
	}

	private static Map<String, String> metadata(ConfigurableEnvironment environment, String prefix) {
		return Binder.get(environment).bind(prefix, Bindable.mapOf(String.class, String.class)).orElse(Map.of());
	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

	@Test
	void shouldAddTheGroupToTheCorrelationFieldsKeepingTheUsersOwn() {
		ConfigurableEnvironment environment = environment(Map.of("management.tracing.baggage.correlation.fields", "tenant"));

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("management.tracing.baggage.correlation.fields"))
			.isEqualTo("tenant,isolation-group");
	}

	@Test
	void shouldShowTheGroupInLogLinesUnlessTheUserSetTheCorrelationPattern() {
		ConfigurableEnvironment byDefault = environment(Map.of());
		ConfigurableEnvironment userSet = environment(Map.of("logging.pattern.correlation", "[%X{traceId:-}] "));

		this.postProcessor.postProcessEnvironment(byDefault, new SpringApplication());
		this.postProcessor.postProcessEnvironment(userSet, new SpringApplication());

		assertThat(byDefault.getProperty("logging.pattern.correlation")).contains("%X{isolation-group:-}");
		assertThat(userSet.getProperty("logging.pattern.correlation")).isEqualTo("[%X{traceId:-}] ");
	}

}
