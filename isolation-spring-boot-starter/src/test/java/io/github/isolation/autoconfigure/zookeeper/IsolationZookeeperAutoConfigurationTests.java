package io.github.isolation.autoconfigure.zookeeper;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.zookeeper.BindingsView;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the ZooKeeper registry is wired, and with which client, against a real ZooKeeper.
 */
class IsolationZookeeperAutoConfigurationTests {

	private static TestingServer zookeeper;

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(IsolationZookeeperAutoConfiguration.class, IsolationAutoConfiguration.class));

	@BeforeAll
	static void startZookeeper() throws Exception {
		zookeeper = new TestingServer();
	}

	@AfterAll
	static void stopZookeeper() throws Exception {
		zookeeper.close();
	}

	@Test
	void shouldStayOffWithoutAConnectString() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(BindingsView.class);
			assertThat(context.getBean(GroupBindings.class)).isSameAs(GroupBindings.NONE);
		});
	}

	@Test
	void shouldStayOffWhenIsolationIsDisabled() {
		this.runner
			.withPropertyValues("isolation.enabled=false",
					"isolation.zookeeper.connect-string=" + zookeeper.getConnectString())
			.run((context) -> assertThat(context).doesNotHaveBean(BindingsView.class));
	}

	@Test
	void shouldStayOffWithoutTheRegistryOnTheClassPath() {
		this.runner.withClassLoader(new FilteredClassLoader(BindingsView.class))
			.withPropertyValues("isolation.zookeeper.connect-string=" + zookeeper.getConnectString())
			.run((context) -> assertThat(context).doesNotHaveBean(IsolationZookeeperClient.class));
	}

	@Test
	void shouldServeGroupsFromTheBindingsWithAClientOfItsOwn() {
		this.runner.withPropertyValues("isolation.zookeeper.connect-string=" + zookeeper.getConnectString())
			.run((context) -> {
				assertThat(context.getBean(GroupBindings.class)).isSameAs(context.getBean(BindingsView.class));
				assertThat(context.getBean(LocalGroup.class)).isInstanceOf(ZookeeperLocalGroup.class);
				assertThat(context.getBean(IsolationZookeeperClient.class).owned()).isTrue();
			});
	}

	@Test
	void shouldShareSpringCloudZookeepersClientForTheSameEnsemble() throws Exception {
		try (CuratorFramework shared = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
				new RetryOneTime(100))) {
			shared.start();
			this.runner.withBean(CuratorFramework.class, () -> shared)
				.withPropertyValues("spring.cloud.zookeeper.connect-string=" + zookeeper.getConnectString())
				.run((context) -> {
					IsolationZookeeperClient client = context.getBean(IsolationZookeeperClient.class);
					assertThat(client.owned()).isFalse();
					assertThat(client.client()).isSameAs(shared);
				});
		}
	}

	@Test
	void shouldUseAClientOfItsOwnWhenCredentialsAreSet() throws Exception {
		try (CuratorFramework shared = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
				new RetryOneTime(100))) {
			shared.start();
			this.runner.withBean(CuratorFramework.class, () -> shared)
				.withPropertyValues("spring.cloud.zookeeper.connect-string=" + zookeeper.getConnectString(),
						"isolation.zookeeper.auth=deployer:secret")
				.run((context) -> {
					IsolationZookeeperClient client = context.getBean(IsolationZookeeperClient.class);
					assertThat(client.owned()).isTrue();
					assertThat(client.credentials().user()).isEqualTo("deployer");
				});
		}
	}

	@Test
	void shouldFailToStartWithAMalformedRootOrAuthNamingTheProperty() {
		this.runner
			.withPropertyValues("isolation.zookeeper.connect-string=" + zookeeper.getConnectString(),
					"isolation.zookeeper.root=relative")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageStartingWith("isolation.zookeeper.root: "));
		this.runner
			.withPropertyValues("isolation.zookeeper.connect-string=" + zookeeper.getConnectString(),
					"isolation.zookeeper.auth=no-colon-secret")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageStartingWith("isolation.zookeeper.auth: ")
				.hasMessageNotContaining("no-colon-secret"));
	}

}
