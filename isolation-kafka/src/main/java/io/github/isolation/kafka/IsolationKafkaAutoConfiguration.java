package io.github.isolation.kafka;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.autoconfigure.observation.IsolationEndpoint;
import io.github.isolation.autoconfigure.zookeeper.IsolationZookeeperClient;
import io.github.isolation.kafka.lanes.KafkaLanes;
import io.github.isolation.kafka.lanes.LaneMeters;
import io.github.isolation.kafka.lanes.LaneWatermarks;
import io.github.isolation.kafka.lanes.MicrometerLaneMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.apache.curator.framework.CuratorFramework;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Isolation for Kafka records: the tag on every record sent ({@link IsolationProducerInterceptor},
 * added to the producer properties by {@link IsolationKafkaEnvironmentPostProcessor}), and the
 * record's tag as the current baggage while a record listener of any listener container factory
 * processes it ({@link IsolationRecordInterceptor}, run before the factory's own record
 * interceptor), and {@link IsolationRecordScope} for a batch listener to do the same per record.
 * Active whenever isolation is, unless {@code isolation.kafka.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = IsolationAutoConfiguration.class)
@ConditionalOnClass(KafkaTemplate.class)
@ConditionalOnBean(IsolationContext.class)
@ConditionalOnBooleanProperty(name = IsolationKafkaProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(IsolationKafkaProperties.class)
public class IsolationKafkaAutoConfiguration {

	@Bean
	InterceptorRegistration isolationKafkaInterceptorRegistration(Environment environment, IsolationContext context,
			ObjectProvider<RoutingListeners> listeners) {
		return new InterceptorRegistration(environment.getProperty(IsolationKafkaEnvironmentPostProcessor.CONTEXT_ID_PROPERTY),
				context, listeners.getIfAvailable(() -> RoutingListeners.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	IsolationRecordScope isolationRecordScope(ObjectProvider<Tracer> tracer, ObjectProvider<RoutingListeners> listeners) {
		return new IsolationRecordScope(tracer.getIfAvailable(() -> Tracer.NOOP),
				listeners.getIfAvailable(() -> RoutingListeners.NONE));
	}

	// The interceptor is not a bean of its own: Spring Boot gives a listener container factory the
	// application's RecordInterceptor bean only when there is exactly one, so a second would take
	// the user's away.
	@Bean
	static BeanPostProcessor isolationListenerContainerFactoryPostProcessor(ObjectProvider<IsolationRecordScope> scopes,
			ObjectProvider<KafkaLanes> lanes) {
		return new ListenerContainerFactoryPostProcessor(
				() -> new IsolationRecordInterceptor(scopes.getObject(), lanes.getIfAvailable()), lanes::getIfAvailable);
	}

	// Lanes switched on but impossible here would leave feature instances taking untagged records
	// in silence: refuse to start instead.
	@Bean
	@ConditionalOnBooleanProperty(name = IsolationKafkaProperties.PREFIX + ".lanes.enabled")
	static SmartInitializingSingleton isolationKafkaLanesCheck(ObjectProvider<KafkaLanes> lanes) {
		return () -> {
			if (lanes.getIfAvailable() == null) {
				throw new IllegalStateException(IsolationKafkaProperties.PREFIX + ".lanes.enabled=true needs ZooKeeper,"
						+ " where lanes record the offsets they open at: add isolation-zk-registry and set"
						+ " isolation.zookeeper.connect-string (or spring.cloud.zookeeper.connect-string), or set "
						+ IsolationKafkaProperties.PREFIX + ".lanes.enabled=false");
			}
		};
	}

	/**
	 * Lanes, when switched on: they need ZooKeeper for the offsets at which lanes open.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CuratorFramework.class)
	@ConditionalOnBooleanProperty(name = IsolationKafkaProperties.PREFIX + ".lanes.enabled")
	static class LanesConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		@ConditionalOnBean(IsolationZookeeperClient.class)
		LaneWatermarks isolationLaneWatermarks(IsolationZookeeperClient zookeeper, Environment environment) {
			return new LaneWatermarks(zookeeper.client(), zookeeper.paths().root(), serviceId(environment));
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(LaneWatermarks.class)
		KafkaLanes isolationKafkaLanes(LaneWatermarks watermarks, LocalGroup localGroup, Environment environment,
				ObjectProvider<LaneMeters> meters, IsolationRecordScope scopes, IsolationKafkaProperties properties) {
			KafkaLanes lanes = new KafkaLanes(serviceId(environment), localGroup.current(), watermarks,
					meters.getIfAvailable(() -> LaneMeters.NONE), scopes::accept);
			lanes.setWaitForLane(properties.getLanes().getFailFast() == IsolationKafkaProperties.FailFast.WAIT);
			Duration retireAfter = properties.getLanes().getRetireAfter();
			lanes.setRetireAfter((retireAfter.isZero() || retireAfter.isNegative()) ? null : retireAfter);
			return lanes;
		}

		@Bean
		@ConditionalOnBean(LaneWatermarks.class)
		IsolationEndpoint.Section isolationKafkaLanesSection(KafkaLanes lanes) {
			return new IsolationEndpoint.Section() {

				@Override
				public String name() {
					return "kafkaLanes";
				}

				@Override
				public Object describe() {
					return lanes.describe();
				}

			};
		}

		/**
		 * Counts lane decisions where Micrometer is present; lanes run without it.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MeterRegistry.class)
		static class LaneMetersConfiguration {

			@Bean
			@ConditionalOnMissingBean
			LaneMeters isolationLaneMeters(ObjectProvider<MeterRegistry> registry) {
				MeterRegistry meters = registry.getIfAvailable();
				return (meters != null) ? new MicrometerLaneMeters(meters) : LaneMeters.NONE;
			}

		}

		private static String serviceId(Environment environment) {
			String serviceId = environment.getProperty("spring.application.name");
			if (serviceId == null || serviceId.isBlank()) {
				throw new IllegalStateException("spring.application.name must be set when "
						+ IsolationKafkaProperties.PREFIX + ".lanes.enabled=true: lanes are kept per service");
			}
			return serviceId;
		}

	}

	/**
	 * Registers this application for its producers' and consumers' interceptors while it runs.
	 */
	static final class InterceptorRegistration implements DisposableBean {

		private final AutoCloseable registration;

		InterceptorRegistration(String id, IsolationContext context, RoutingListeners listeners) {
			// Without the environment post-processor's id (an application context built by hand),
			// only a JVM with a single application finds it.
			this.registration = InterceptorContexts.register((id != null) ? id : "", context, listeners);
		}

		@Override
		public void destroy() throws Exception {
			this.registration.close();
		}

	}

	/**
	 * Puts the record interceptor in front of whatever record interceptor a listener container
	 * factory has, the one Spring Boot's configurer gave it included.
	 */
	static final class ListenerContainerFactoryPostProcessor implements BeanPostProcessor {

		private static final Method GETTER = ReflectionUtils.findMethod(AbstractKafkaListenerContainerFactory.class,
				"getRecordInterceptor");

		private final SingletonSupplier<IsolationRecordInterceptor> interceptor;

		private final Supplier<KafkaLanes> lanes;

		ListenerContainerFactoryPostProcessor(Supplier<IsolationRecordInterceptor> interceptor) {
			this(interceptor, () -> null);
		}

		ListenerContainerFactoryPostProcessor(Supplier<IsolationRecordInterceptor> interceptor,
				Supplier<KafkaLanes> lanes) {
			this.interceptor = SingletonSupplier.of(interceptor);
			this.lanes = lanes;
		}

		@Override
		@SuppressWarnings({ "unchecked", "rawtypes" })
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory) {
				IsolationRecordInterceptor isolation = this.interceptor.obtain();
				RecordInterceptor existing = recordInterceptorOf(factory);
				if (existing == null) {
					((AbstractKafkaListenerContainerFactory) factory).setRecordInterceptor(isolation);
				}
				else if (existing != isolation) {
					((AbstractKafkaListenerContainerFactory) factory)
						.setRecordInterceptor(new CompositeRecordInterceptor(isolation, existing));
				}
				KafkaLanes lanes = this.lanes.get();
				if (lanes != null && factory instanceof ConcurrentKafkaListenerContainerFactory<?, ?> concurrent) {
					addLanes(concurrent, lanes);
				}
			}
			return bean;
		}

		// The user's container customizer (or the one Spring Boot's configurer set) runs first: lanes
		// decide the consumer group last.
		@SuppressWarnings({ "unchecked", "rawtypes" })
		private static void addLanes(ConcurrentKafkaListenerContainerFactory<?, ?> factory, KafkaLanes lanes) {
			Field field = ReflectionUtils.findField(AbstractKafkaListenerContainerFactory.class, "containerCustomizer");
			if (field == null) {
				throw new IllegalStateException("Cannot read the container customizer of " + factory.getClass().getName()
						+ " with this version of Spring Kafka; set " + IsolationKafkaProperties.PREFIX
						+ ".lanes.enabled=false");
			}
			ReflectionUtils.makeAccessible(field);
			ContainerCustomizer existing = (ContainerCustomizer) ReflectionUtils.getField(field, factory);
			ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> withLanes = (
					container) -> {
				if (existing != null) {
					existing.configure(container);
				}
				lanes.customize(factory, container);
			};
			((ConcurrentKafkaListenerContainerFactory) factory).setContainerCustomizer(withLanes);
		}

		// Spring Kafka 4 has a getter; 3.x (Spring Boot 3.5) only the field behind the setter.
		private static RecordInterceptor<?, ?> recordInterceptorOf(AbstractKafkaListenerContainerFactory<?, ?, ?> factory) {
			if (GETTER != null) {
				return (RecordInterceptor<?, ?>) ReflectionUtils.invokeMethod(GETTER, factory);
			}
			Field field = ReflectionUtils.findField(AbstractKafkaListenerContainerFactory.class, "recordInterceptor");
			if (field == null) {
				throw new IllegalStateException("Cannot read the record interceptor of " + factory.getClass().getName()
						+ " with this version of Spring Kafka; set isolation.kafka.enabled=false");
			}
			ReflectionUtils.makeAccessible(field);
			return (RecordInterceptor<?, ?>) ReflectionUtils.getField(field, factory);
		}

	}

}
