package io.github.isolation.kafka;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class IsolationKafkaEnvironmentPostProcessorTests {

	private static final String INTERCEPTORS = "spring.kafka.producer.properties.interceptor.classes";

	private static final String CONSUMER_INTERCEPTORS = "spring.kafka.consumer.properties.interceptor.classes";

	private static final String ISOLATION = IsolationProducerInterceptor.class.getName();

	@Test
	void shouldAddTheInterceptorAndAnIdToTheProducerProperties() {
		StandardEnvironment environment = postProcess(Map.of());

		assertThat(environment.getProperty(INTERCEPTORS)).isEqualTo(ISOLATION);
		assertThat(environment.getProperty(IsolationKafkaEnvironmentPostProcessor.CONTEXT_ID_PROPERTY)).isNotBlank();
	}

	@Test
	void shouldKeepTheProducerInterceptorsOfTheUserAfterItsOwn() {
		StandardEnvironment environment = postProcess(Map.of(INTERCEPTORS, "com.example.One, com.example.Two"));

		assertThat(environment.getProperty(INTERCEPTORS)).isEqualTo(ISOLATION + ",com.example.One,com.example.Two");
	}

	@Test
	void shouldAddTheConsumerInterceptorWithTheSameIdAndKeepTheUsersAfterIt() {
		StandardEnvironment environment = postProcess(Map.of(CONSUMER_INTERCEPTORS, "com.example.Consumer"));

		assertThat(environment.getProperty(CONSUMER_INTERCEPTORS))
			.isEqualTo(IsolationConsumerInterceptor.class.getName() + ",com.example.Consumer");
		assertThat(environment.getProperty("spring.kafka.consumer.properties.isolation.context-id"))
			.isEqualTo(environment.getProperty(IsolationKafkaEnvironmentPostProcessor.CONTEXT_ID_PROPERTY));
		assertThat(environment.getProperty(INTERCEPTORS)).isEqualTo(ISOLATION);
	}

	@Test
	void shouldKeepTheInterceptorsOfTheUsersCommonKafkaProperties() {
		StandardEnvironment environment = postProcess(
				Map.of("spring.kafka.properties.interceptor.classes", "com.example.Common"));

		assertThat(environment.getProperty(INTERCEPTORS)).isEqualTo(ISOLATION + ",com.example.Common");
		assertThat(environment.getProperty(CONSUMER_INTERCEPTORS))
			.isEqualTo(IsolationConsumerInterceptor.class.getName() + ",com.example.Common");
	}

	@Test
	void shouldGiveEachApplicationItsOwnIdAndKeepItWhenRunAgain() {
		StandardEnvironment first = postProcess(Map.of());
		String id = first.getProperty(IsolationKafkaEnvironmentPostProcessor.CONTEXT_ID_PROPERTY);
		new IsolationKafkaEnvironmentPostProcessor().postProcessEnvironment(first, new SpringApplication());

		assertThat(first.getProperty(IsolationKafkaEnvironmentPostProcessor.CONTEXT_ID_PROPERTY)).isEqualTo(id);
		assertThat(postProcess(Map.of()).getProperty(IsolationKafkaEnvironmentPostProcessor.CONTEXT_ID_PROPERTY))
			.isNotEqualTo(id);
	}

	@Test
	void shouldDoNothingWhenIsolationForKafkaIsOff() {
		assertThat(postProcess(Map.of("isolation.kafka.enabled", "false")).getProperty(INTERCEPTORS)).isNull();
		assertThat(postProcess(Map.of("isolation.enabled", "false")).getProperty(INTERCEPTORS)).isNull();
		assertThat(postProcess(Map.of("isolation.kafka.enabled", "false")).getProperty(CONSUMER_INTERCEPTORS)).isNull();
	}

	private static StandardEnvironment postProcess(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		new IsolationKafkaEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

}
