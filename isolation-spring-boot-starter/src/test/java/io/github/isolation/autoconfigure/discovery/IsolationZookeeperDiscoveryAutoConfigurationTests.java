package io.github.isolation.autoconfigure.discovery;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.zookeeper.ZookeeperAutoConfiguration;
import org.springframework.cloud.zookeeper.discovery.ZookeeperDiscoveryAutoConfiguration;
import org.springframework.cloud.zookeeper.discovery.ZookeeperInstance;
import org.springframework.cloud.zookeeper.support.CuratorServiceDiscoveryAutoConfiguration;
import org.springframework.cloud.zookeeper.support.ServiceDiscoveryCustomizer;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which discovery Spring Cloud ZooKeeper registers through, with the starter on the class
 * path, against a real ZooKeeper.
 */
class IsolationZookeeperDiscoveryAutoConfigurationTests {

	private static TestingServer zookeeper;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class, ZookeeperAutoConfiguration.class,
				CuratorServiceDiscoveryAutoConfiguration.class, ZookeeperDiscoveryAutoConfiguration.class,
				IsolationZookeeperDiscoveryAutoConfiguration.class));

	@BeforeAll
	static void startZookeeper() throws Exception {
		zookeeper = new TestingServer();
	}

	@AfterAll
	static void stopZookeeper() throws Exception {
		zookeeper.close();
	}

	@Test
	void shouldRegisterThroughTheSteadyDiscovery() {
		connected().run((context) -> assertThat(context.getBean(ServiceDiscovery.class))
			.isInstanceOf(SteadyServiceDiscovery.class));
	}

	@Test
	void shouldKeepCuratorsDiscoveryWhenSwitchedOff() {
		connected().withPropertyValues("isolation.discovery.keep-registration-on-reconnect=false")
			.run((context) -> assertThat(context.getBean(ServiceDiscovery.class))
				.isNotInstanceOf(SteadyServiceDiscovery.class));
	}

	@Test
	void shouldKeepCuratorsDiscoveryWhenIsolationIsDisabled() {
		connected().withPropertyValues("isolation.enabled=false")
			.run((context) -> assertThat(context.getBean(ServiceDiscovery.class))
				.isNotInstanceOf(SteadyServiceDiscovery.class));
	}

	@Test
	void shouldBackOffForTheApplicationsOwnCustomizer() {
		connected().withUserConfiguration(OwnCustomizer.class).run((context) -> {
			assertThat(context).getBean(ServiceDiscoveryCustomizer.class).isInstanceOf(OwnCustomizer.class);
			assertThat(context.getBean(ServiceDiscovery.class)).isNotInstanceOf(SteadyServiceDiscovery.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCustomizer implements ServiceDiscoveryCustomizer {

		private final CuratorFramework curator;

		OwnCustomizer(CuratorFramework curator) {
			this.curator = curator;
		}

		@Override
		public ServiceDiscovery<ZookeeperInstance> customize(ServiceDiscoveryBuilder<ZookeeperInstance> builder) {
			return builder.client(this.curator).basePath("/own").build();
		}

	}

	private ApplicationContextRunner connected() {
		return this.runner.withPropertyValues("spring.cloud.zookeeper.connect-string=" + zookeeper.getConnectString());
	}

}
