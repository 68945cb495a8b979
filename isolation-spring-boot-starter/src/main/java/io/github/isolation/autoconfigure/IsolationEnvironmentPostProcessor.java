package io.github.isolation.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Makes the tag travel, and show in logs, without the user writing any tracing property: adds
 * {@value IsolationTags#GROUP} and {@value IsolationTags#FAIL_FAST} to
 * {@code management.tracing.baggage.remote-fields} and {@value IsolationTags#GROUP} to
 * {@code management.tracing.baggage.correlation.fields} (keeping the user's own fields), which
 * both tracing bridges read, and, unless the user set one, a {@code logging.pattern.correlation}
 * that shows the request's group beside its trace and span ids. When {@code isolation.group}
 * names a group, it also puts that group in this instance's own discovery metadata for the
 * discovery clients that register metadata from properties, unless the user set it. Does
 * nothing when {@code isolation.enabled=false}.
 *
 * <p>Runs after the application's configuration files are loaded, so it sees their values.
 *
 * @since 0.1.0
 */
@SuppressWarnings("deprecation") // the org.springframework.boot.env variant works on every supported Boot line
public class IsolationEnvironmentPostProcessor implements org.springframework.boot.env.EnvironmentPostProcessor, Ordered {

	/** The name of the property source this adds. */
	public static final String PROPERTY_SOURCE_NAME = "isolation";

	/** The name of the property source of defaults this adds. */
	public static final String DEFAULTS_PROPERTY_SOURCE_NAME = "isolationDefaults";

	static final String REMOTE_FIELDS = "management.tracing.baggage.remote-fields";

	static final String CORRELATION_FIELDS = "management.tracing.baggage.correlation.fields";

	static final String CORRELATION_PATTERN = "logging.pattern.correlation";

	// Without one, nothing fills the correlation fields and the pattern would print empty brackets.
	private static final List<String> TRACING_BRIDGES = List.of("io.micrometer.tracing.brave.bridge.BraveTracer",
			"io.micrometer.tracing.otel.bridge.OtelTracer");

	private static final List<String> ISOLATION_FIELDS = List.of(IsolationTags.GROUP, IsolationTags.FAIL_FAST);

	// Where the common discovery clients take the metadata they register.
	private static final List<String> METADATA_PREFIXES = List.of("spring.cloud.zookeeper.discovery.metadata",
			"spring.cloud.consul.discovery.metadata", "eureka.instance.metadata-map",
			"spring.cloud.nacos.discovery.metadata");

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(IsolationProperties.PREFIX + ".enabled", Boolean.class, true)) {
			return;
		}
		Binder binder = Binder.get(environment);
		Map<String, Object> merged = new LinkedHashMap<>();
		addMissing(binder, REMOTE_FIELDS, ISOLATION_FIELDS, merged);
		addMissing(binder, CORRELATION_FIELDS, List.of(IsolationTags.GROUP), merged);
		if (!merged.isEmpty()) {
			// First, so that each replaces the user's list with the user's list plus these fields.
			environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, merged));
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		if (TRACING_BRIDGES.stream().anyMatch((bridge) -> ClassUtils.isPresent(bridge, getClass().getClassLoader()))
				&& !environment.containsProperty(CORRELATION_PATTERN)) {
			defaults.put(CORRELATION_PATTERN, "[%X{traceId:-},%X{spanId:-},%X{" + IsolationTags.GROUP + ":-}] ");
		}
		IsolationGroup group = IsolationGroup.parse(environment.getProperty(IsolationProperties.PREFIX + ".group"))
			.orElse(IsolationGroup.STABLE);
		if (!group.isStable()) {
			METADATA_PREFIXES.stream()
				.filter((prefix) -> !binder.bind(prefix, Bindable.mapOf(String.class, String.class))
					.map((metadata) -> metadata.containsKey(IsolationTags.METADATA_GROUP))
					.orElse(false))
				.forEach((prefix) -> defaults.put(prefix + "." + IsolationTags.METADATA_GROUP, group.name()));
		}
		// Last, as defaults, and only where the user set nothing, in any notation: Spring Boot moves
		// the application's own default properties (SpringApplication.setDefaultProperties) behind
		// this source once the environment is prepared, so precedence alone would not let them win.
		environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS_PROPERTY_SOURCE_NAME, defaults));
	}

	private static void addMissing(Binder binder, String property, List<String> fields, Map<String, Object> merged) {
		List<String> values = new ArrayList<>(binder.bind(property, Bindable.listOf(String.class)).orElse(List.of()));
		if (!values.containsAll(fields)) {
			fields.stream().filter((field) -> !values.contains(field)).forEach(values::add);
			merged.put(property, String.join(",", values));
		}
	}

}
