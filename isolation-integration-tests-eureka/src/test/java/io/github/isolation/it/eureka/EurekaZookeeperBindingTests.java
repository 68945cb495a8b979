package io.github.isolation.it.eureka;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.netflix.appinfo.InstanceInfo;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.it.eureka.Apps.App;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.InstanceAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bindings in a real ZooKeeper (Curator's {@code TestingServer}) for instances that a real
 * Eureka server lists: an instance binds itself under exactly the host and port Eureka reports
 * for it, whether Eureka reports its host name or its IP address, and a binding written in lower
 * case applies to a service Eureka names in upper case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EurekaZookeeperBindingTests {

	private TestingServer zookeeper;

	private EurekaServer eureka;

	private CuratorFramework observer;

	@BeforeAll
	void start() throws Exception {
		this.zookeeper = new TestingServer();
		this.eureka = EurekaServer.start();
		this.observer = CuratorFrameworkFactory.newClient(this.zookeeper.getConnectString(), new RetryOneTime(100));
		this.observer.start();
	}

	@AfterAll
	void stop() throws Exception {
		if (this.observer != null) {
			this.observer.close();
		}
		if (this.eureka != null) {
			this.eureka.close();
		}
		if (this.zookeeper != null) {
			this.zookeeper.close();
		}
	}

	@ParameterizedTest(name = "eureka.instance.prefer-ip-address={0}")
	@ValueSource(booleans = { true, false })
	void shouldBindUnderTheAddressEurekaReportsAndRouteByTheBinding(boolean preferIpAddress) throws Exception {
		try (Apps apps = new Apps(this.eureka).with("isolation.zookeeper.connect-string=" + this.zookeeper.getConnectString(),
				"eureka.instance.prefer-ip-address=" + preferIpAddress)) {
			App vets0 = apps.servlet("vets-service", null, null);
			// Its metadata says stable: only a binding under the right address routes feature-x to it.
			App vets1 = apps.servlet("vets-service", "feature-x", null, "eureka.instance.metadata-map.isolation-group=stable");
			App visits0 = apps.servlet("visits-service", null, "vets-service");
			Apps.awaitDiscovered(visits0, "vets-service", vets0, vets1);

			InstanceInfo reported = this.eureka.instance("vets-service", vets1.instanceId());
			assertThat(reported.getAppName()).isEqualTo("VETS-SERVICE");
			assertThat(reported.getHostName()).isEqualTo(preferIpAddress ? "127.0.0.1" : "localhost");
			assertThat(reported.getPort()).isEqualTo(vets1.port());
			assertThat(reported.getMetadata()).containsEntry("isolation-group", "stable");
			String address = reported.getHostName() + ":" + reported.getPort();
			String service = "/isolation/bindings/vets-service";
			await("the self-binding of " + address).atMost(Duration.ofSeconds(30))
				.until(() -> this.observer.checkExists().forPath(service + "/" + address) != null);
			assertThat(this.observer.getChildren().forPath(service)).containsExactly(address);
			Stat stat = new Stat();
			byte[] data = this.observer.getData().storingStatIn(stat).forPath(service + "/" + address);
			assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo("feature-x");
			assertThat(stat.getEphemeralOwner()).as("ephemeral").isNotZero();

			// The caller's view of the bindings follows ZooKeeper's asynchronously.
			awaitRoute(apps, visits0, "feature-x", "visits-service@stable > vets-service@feature-x");
			for (String via : new String[] { "feign", "restclient" }) {
				assertRoute(apps.get(visits0, "/hop?via=" + via, "isolation-group", "feature-x"),
						"visits-service@stable > vets-service@feature-x");
				assertRoute(apps.get(visits0, "/hop?via=" + via), "visits-service@stable > vets-service@stable");
				assertRoute(apps.get(visits0, "/hop?via=" + via), "visits-service@stable > vets-service@stable");
			}

			// An operator binds the stable instance, naming the service as the application does.
			InstanceInfo stable = this.eureka.instance("VETS-SERVICE", vets0.instanceId());
			InstanceAddress stableAddress = new InstanceAddress(stable.getHostName(), stable.getPort());
			BindingStore store = new BindingStore(this.observer);
			store.bind("vets-service", stableAddress, IsolationGroup.of("feature-y"));
			try {
				awaitRoute(apps, visits0, "feature-y", "visits-service@stable > vets-service@feature-y");
				HttpResponse<String> untagged = apps.get(visits0, "/hop?via=feign");
				assertThat(untagged.statusCode()).as(untagged.body()).isEqualTo(502);
				assertThat(untagged.body()).contains("No stable instance of 'vets-service' (instances only in feature-x, feature-y)");
			}
			finally {
				store.unbind("vets-service", stableAddress);
			}
			awaitRoute(apps, visits0, null, "visits-service@stable > vets-service@stable");
		}
	}

	private static void awaitRoute(Apps apps, App caller, String group, String route) {
		String[] headers = (group != null) ? new String[] { "isolation-group", group } : new String[0];
		await("a " + group + " call to go " + route).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> apps.get(caller, "/hop?via=restclient", headers).body(), route::equals);
	}

	private static void assertRoute(HttpResponse<String> response, String route) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(route);
	}

}
