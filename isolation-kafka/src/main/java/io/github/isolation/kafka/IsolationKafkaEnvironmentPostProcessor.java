package io.github.isolation.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Adds {@link IsolationProducerInterceptor} to the producer properties of Spring Boot's Kafka
 * configuration ({@code spring.kafka.producer.properties.interceptor.classes}, keeping the
 * interceptors the user configured there or in {@code spring.kafka.properties}) and
 * {@link IsolationConsumerInterceptor} to the consumer properties the same way, each with this
 * application's id ({@value IsolationProducerInterceptor#CONTEXT_ID_CONFIG}). Through properties
 * rather than factory customizers, so that a client made from {@code KafkaProperties} has it as
 * well, and so that the same jar works
 * on every Spring Boot line (Boot's Kafka classes moved packages in Boot 4). Does nothing when
 * {@code isolation.enabled} or {@code isolation.kafka.enabled} is {@code false}.
 *
 * @since 0.1.0
 */
@SuppressWarnings("deprecation") // the org.springframework.boot.env variant works on every supported Boot line
public class IsolationKafkaEnvironmentPostProcessor
		implements org.springframework.boot.env.EnvironmentPostProcessor, Ordered {

	/** The name of the property source this adds. */
	public static final String PROPERTY_SOURCE_NAME = "isolationKafka";

	static final String PRODUCER_PROPERTIES = "spring.kafka.producer.properties";

	static final String CONSUMER_PROPERTIES = "spring.kafka.consumer.properties";

	static final String COMMON_PROPERTIES = "spring.kafka.properties";

	static final String INTERCEPTOR_CLASSES = "interceptor.classes";

	/** Where the application's id is, for the auto-configuration to register its context under. */
	static final String CONTEXT_ID_PROPERTY = PRODUCER_PROPERTIES + "." + IsolationProducerInterceptor.CONTEXT_ID_CONFIG;

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("isolation.enabled", Boolean.class, true)
				|| !environment.getProperty(IsolationKafkaProperties.PREFIX + ".enabled", Boolean.class, true)
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		Binder binder = Binder.get(environment);
		String id = UUID.randomUUID().toString();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(PRODUCER_PROPERTIES + "." + INTERCEPTOR_CLASSES,
				withInterceptor(binder, PRODUCER_PROPERTIES, IsolationProducerInterceptor.class));
		properties.put(CONTEXT_ID_PROPERTY, id);
		properties.put(CONSUMER_PROPERTIES + "." + INTERCEPTOR_CLASSES,
				withInterceptor(binder, CONSUMER_PROPERTIES, IsolationConsumerInterceptor.class));
		properties.put(CONSUMER_PROPERTIES + "." + IsolationProducerInterceptor.CONTEXT_ID_CONFIG, id);
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

	/**
	 * The interceptor classes the user configured for one kind of client (or for every client),
	 * with the isolation interceptor first, so that the user's own interceptors see the record as
	 * isolation leaves it.
	 */
	private static String withInterceptor(Binder binder, String clientProperties, Class<?> interceptor) {
		Bindable<Map<String, String>> map = Bindable.mapOf(String.class, String.class);
		String configured = binder.bind(clientProperties, map)
			.map((client) -> client.get(INTERCEPTOR_CLASSES))
			.orElseGet(() -> binder.bind(COMMON_PROPERTIES, map).map((common) -> common.get(INTERCEPTOR_CLASSES)).orElse(null));
		List<String> classes = new ArrayList<>();
		if (StringUtils.hasText(configured)) {
			Arrays.stream(configured.split(",")).map(String::strip).filter(StringUtils::hasText).forEach(classes::add);
		}
		if (!classes.contains(interceptor.getName())) {
			classes.add(0, interceptor.getName());
		}
		return String.join(",", classes);
	}

}
