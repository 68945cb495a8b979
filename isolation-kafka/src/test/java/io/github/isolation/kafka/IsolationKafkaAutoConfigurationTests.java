package io.github.isolation.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.autoconfigure.zookeeper.IsolationZookeeperAutoConfiguration;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.kafka.lanes.KafkaLanes;
import io.github.isolation.kafka.lanes.LaneMeters;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.RecordInterceptor;

import static org.assertj.core.api.Assertions.assertThat;

class IsolationKafkaAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MicrometerTracingAutoConfiguration.class, BraveAutoConfiguration.class,
				IsolationAutoConfiguration.class, KafkaAutoConfiguration.class, IsolationKafkaAutoConfiguration.class))
		.withPropertyValues("management.tracing.baggage.remote-fields=isolation-group,isolation-fail-fast");

	@Test
	void shouldRunTheApplicationsOwnRecordInterceptorInTheRecordsTag() {
		this.runner.withUserConfiguration(OwnInterceptorConfiguration.class).run((context) -> {
			RecordInterceptor<Object, Object> interceptor = context
				.getBean("kafkaListenerContainerFactory", ConcurrentKafkaListenerContainerFactory.class)
				.getRecordInterceptor();
			ConsumerRecord<Object, Object> record = new ConsumerRecord<>("orders", 0, 0, "key", "value");
			record.headers().add(IsolationTags.GROUP, "feature-x".getBytes(StandardCharsets.UTF_8));

			interceptor.intercept(record, null);
			interceptor.success(record, null);

			IsolationContext isolation = context.getBean(IsolationContext.class);
			assertThat(context.getBean(OwnInterceptor.class).seen).containsExactly("feature-x");
			assertThat(isolation.current().group().name()).as("group after the record").isEqualTo("stable");
		});
	}

	@Test
	void shouldRunCodeInTheTagOfEachRecordThroughTheRecordScope() {
		this.runner.run((context) -> {
			IsolationRecordScope scopes = context.getBean(IsolationRecordScope.class);
			IsolationContext isolation = context.getBean(IsolationContext.class);
			ConsumerRecord<Object, Object> tagged = new ConsumerRecord<>("orders", 0, 0, "key", "value");
			tagged.headers().add(IsolationTags.GROUP, "feature-x".getBytes(StandardCharsets.UTF_8));
			ConsumerRecord<Object, Object> malformed = new ConsumerRecord<>("orders", 0, 1, "key", "value");
			malformed.headers().add(IsolationTags.GROUP, "Feature X!".getBytes(StandardCharsets.UTF_8));
			List<String> seen = new ArrayList<>();

			try (IsolationRecordScope.RecordScope scope = scopes.open(tagged)) {
				seen.add(isolation.current().group().name());
				scopes.run(malformed, () -> seen.add(isolation.current().group().name()));
				seen.add(isolation.current().group().name());
				scope.close();
				seen.add(isolation.current().group().name());
			}
			seen.add(isolation.current().group().name());

			assertThat(seen).as("tagged, then a malformed record inside it, then after each")
				.containsExactly("feature-x", "feature-x", "feature-x", "stable", "stable");
			assertThat(malformed.headers().lastHeader(IsolationTags.GROUP)).as("refused value taken off").isNull();
		});
	}

	@Test
	void shouldEndTheRecordsTagWhenItsScopeClosesInsideASpan() {
		this.runner.run((context) -> {
			IsolationRecordScope scopes = context.getBean(IsolationRecordScope.class);
			IsolationContext isolation = context.getBean(IsolationContext.class);
			Tracer tracer = context.getBean(Tracer.class);
			ConsumerRecord<Object, Object> tagged = new ConsumerRecord<>("orders", 0, 0, "key", "value");
			tagged.headers().add(IsolationTags.GROUP, "feature-x".getBytes(StandardCharsets.UTF_8));
			Span span = tracer.nextSpan().start();
			try (Tracer.SpanInScope inSpan = tracer.withSpan(span)) {
				List<String> seen = new ArrayList<>();

				scopes.run(tagged, () -> seen.add(isolation.current().group().name()));
				seen.add(isolation.current().group().name());

				assertThat(seen).as("in the record's scope, then after it in the same span")
					.containsExactly("feature-x", "stable");
				assertThat(tracer.currentSpan()).as("no span of its own inside one").isEqualTo(span);
			}
			finally {
				span.end();
			}
		});
	}

	@Test
	void shouldRegisterNoRecordInterceptorBeanThatWouldHideTheApplicationsOwn() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(RecordInterceptor.class)
			.hasSingleBean(IsolationKafkaAutoConfiguration.InterceptorRegistration.class));
	}

	@Test
	void shouldRefuseToStartWithLanesOnAndNoZookeeper() {
		this.runner.withPropertyValues("isolation.kafka.lanes.enabled=true", "spring.application.name=notifications")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("isolation.kafka.lanes.enabled=true needs ZooKeeper")
				.hasMessageContaining("isolation.zookeeper.connect-string"));
	}

	@Test
	void shouldRunLanesWithoutMicrometerOnTheClassPath() throws Exception {
		try (TestingServer zookeeper = new TestingServer()) {
			this.runner.withConfiguration(AutoConfigurations.of(IsolationZookeeperAutoConfiguration.class))
				.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
				.withPropertyValues("isolation.kafka.lanes.enabled=true", "spring.application.name=notifications",
						"isolation.zookeeper.connect-string=" + zookeeper.getConnectString())
				.run((context) -> assertThat(context).hasNotFailed()
					.hasSingleBean(KafkaLanes.class)
					.doesNotHaveBean(LaneMeters.class));
		}
	}

	@Test
	void shouldAddNoLanesUnlessAsked() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(KafkaLanes.class));
	}

	@Test
	void shouldLeaveKafkaAloneWhenIsolationForKafkaIsOff() {
		this.runner.withPropertyValues("isolation.kafka.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(IsolationKafkaAutoConfiguration.InterceptorRegistration.class);
			assertThat(context.getBean(ConcurrentKafkaListenerContainerFactory.class).getRecordInterceptor()).isNull();
		});
	}

	@Test
	void shouldLeaveKafkaAloneWhenIsolationIsOff() {
		this.runner.withPropertyValues("isolation.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(IsolationKafkaAutoConfiguration.InterceptorRegistration.class);
			assertThat(context.getBean(ConcurrentKafkaListenerContainerFactory.class).getRecordInterceptor()).isNull();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnInterceptorConfiguration {

		@Bean
		OwnInterceptor ownInterceptor(IsolationContext isolation) {
			return new OwnInterceptor(isolation);
		}

	}

	/** Notes the group current while it runs. */
	static class OwnInterceptor implements RecordInterceptor<Object, Object> {

		final List<String> seen = new ArrayList<>();

		private final IsolationContext isolation;

		OwnInterceptor(IsolationContext isolation) {
			this.isolation = isolation;
		}

		@Override
		public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
				org.apache.kafka.clients.consumer.Consumer<Object, Object> consumer) {
			this.seen.add(this.isolation.current().group().name());
			return record;
		}

	}

}
