package io.github.isolation.autoconfigure.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.InstanceAddress;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.serviceregistry.Registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ZookeeperLocalGroup}: under which address an instance binds itself, from
 * the discovery registration, the web server or {@code isolation.instance.*}, against a real
 * ZooKeeper. The application is made ready by hand, as {@code SpringApplication} would.
 */
@ExtendWith(OutputCaptureExtension.class)
class ZookeeperLocalGroupTests {

	private static final AtomicInteger roots = new AtomicInteger();

	private static TestingServer zookeeper;

	private final String root = "/isolation-local-" + roots.incrementAndGet();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(IsolationZookeeperAutoConfiguration.class, IsolationAutoConfiguration.class))
		.withPropertyValues("isolation.zookeeper.connect-string=" + zookeeper.getConnectString(),
				"isolation.zookeeper.root=" + this.root, "spring.application.name=inventory",
				"isolation.group=feature-x");

	@BeforeAll
	static void startZookeeper() throws Exception {
		zookeeper = new TestingServer();
	}

	@AfterAll
	static void stopZookeeper() throws Exception {
		zookeeper.close();
	}

	@Test
	void shouldBindUnderTheAddressDiscoveryRegisters(CapturedOutput output) {
		this.runner.withBean(Registration.class, () -> registration("10.0.0.7", 8080)).run((context) -> {
			ZookeeperLocalGroup local = ready(context);

			assertThat(local.serviceId()).isEqualTo("inventory");
			assertThat(local.address()).isEqualTo(InstanceAddress.parse("10.0.0.7:8080"));
			awaitBinding(context, "inventory/10.0.0.7:8080", "feature-x");
			assertThat(output).doesNotContain("differs from");
		});
	}

	@Test
	void shouldBindUnderTheOverridesAndWarnThatDiscoveryRegistersAnotherAddress(CapturedOutput output) {
		this.runner.withBean(Registration.class, () -> registration("10.0.0.7", 8080))
			.withPropertyValues("isolation.instance.host=inventory-1.internal", "isolation.instance.port=9090")
			.run((context) -> {
				ZookeeperLocalGroup local = ready(context);

				assertThat(local.address()).isEqualTo(InstanceAddress.parse("inventory-1.internal:9090"));
				awaitBinding(context, "inventory/inventory-1.internal:9090", "feature-x");
				assertThat(output).contains("isolation.instance.host inventory-1.internal differs from the host "
						+ "discovery registers, 10.0.0.7: routing finds this instance's binding only under the host "
						+ "discovery reports")
					.contains("isolation.instance.port 9090 differs from the port discovery registers, 8080: routing "
							+ "finds this instance's binding only under the port discovery reports");
			});
	}

	@Test
	void shouldNotWarnWhenTheOverridesNameTheRegisteredAddress(CapturedOutput output) {
		this.runner.withBean(Registration.class, () -> registration("inventory-1.internal", 8080))
			.withPropertyValues("isolation.instance.host=INVENTORY-1.internal", "isolation.instance.port=8080")
			.run((context) -> {
				ZookeeperLocalGroup local = ready(context);

				assertThat(local.address().port()).isEqualTo(8080);
				assertThat(output).doesNotContain("differs from");
			});
	}

	@Test
	void shouldBindUnderTheServerAddressAndTheWebServersPortWithoutARegistration() {
		this.runner.withPropertyValues("server.address=127.0.0.5", "local.server.port=8181").run((context) -> {
			ZookeeperLocalGroup local = ready(context);

			assertThat(local.address()).isEqualTo(InstanceAddress.parse("127.0.0.5:8181"));
			awaitBinding(context, "inventory/127.0.0.5:8181", "feature-x");
		});
	}

	@Test
	void shouldBindUnderTheOverridesWithoutARegistrationNorAWebServer() {
		this.runner.withPropertyValues("isolation.instance.host=10.0.0.9", "isolation.instance.port=7070")
			.run((context) -> {
				ZookeeperLocalGroup local = ready(context);

				assertThat(local.address()).isEqualTo(InstanceAddress.parse("10.0.0.9:7070"));
				awaitBinding(context, "inventory/10.0.0.9:7070", "feature-x");
			});
	}

	@Test
	void shouldNeitherBindNorReadItsBindingWhenItCannotTellItsAddress(CapturedOutput output) {
		// No registration, no web server, no server.address and no InetUtils: nothing says where it listens.
		this.runner.run((context) -> {
			ZookeeperLocalGroup local = ready(context);

			assertThat(output).contains("Cannot tell this instance's service id and address (service inventory, host "
					+ "null, port null): it does not bind itself and its own binding is not read. Set "
					+ "spring.application.name, isolation.instance.host and isolation.instance.port");
			assertThat(local.serviceId()).isNull();
			assertThat(local.address()).isNull();
			assertThat(local.current()).isEqualTo(IsolationGroup.of("feature-x"));
			assertThat(local.origin()).isEqualTo("property");
			assertThat(client(context).checkExists().forPath(this.root + "/bindings/inventory")).isNull();
		});
	}

	private static ZookeeperLocalGroup ready(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0],
				context.getSourceApplicationContext(), Duration.ZERO));
		return context.getBean(ZookeeperLocalGroup.class);
	}

	private void awaitBinding(AssertableApplicationContext context, String instance, String group) {
		CuratorFramework client = client(context);
		String path = this.root + "/bindings/" + instance;
		await().atMost(Duration.ofSeconds(5)).until(() -> client.checkExists().forPath(path) != null);
		assertThat(new String(uncheckedData(client, path), StandardCharsets.UTF_8)).isEqualTo(group);
	}

	private static byte[] uncheckedData(CuratorFramework client, String path) {
		try {
			return client.getData().forPath(path);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static CuratorFramework client(AssertableApplicationContext context) {
		return context.getBean(IsolationZookeeperClient.class).client();
	}

	private static Registration registration(String host, int port) {
		return new RegisteredInstance(host, port);
	}

	/** A discovery registration, as Spring Cloud's registries hand it over. */
	static final class RegisteredInstance extends DefaultServiceInstance implements Registration {

		RegisteredInstance(String host, int port) {
			super("inventory-1", "inventory", host, port, false);
		}

	}

}
