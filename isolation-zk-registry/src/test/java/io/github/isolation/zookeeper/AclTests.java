package io.github.isolation.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class AclTests {

	private static final DigestCredentials CREDENTIALS = DigestCredentials.parse("admin:s3cret");

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	private static final InstanceAddress ADDRESS = InstanceAddress.parse("10.0.0.7:8080");

	private static TestingServer server;

	@BeforeAll
	static void startServer() throws Exception {
		server = ZooKeeperTestSupport.startServer();
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@Test
	void shouldLetOnlyTheCredentialsChangeProtectedBindings() throws Exception {
		BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
		String path = paths.instancePath("inventory", ADDRESS);
		try (CuratorFramework admin = ZooKeeperTestSupport.startClient(server.getConnectString(), CREDENTIALS);
				CuratorFramework anonymous = ZooKeeperTestSupport.startClient(server.getConnectString());
				CuratorFramework impostor = ZooKeeperTestSupport.startClient(server.getConnectString(),
						DigestCredentials.parse("admin:guess"))) {
			BindingStore adminStore = new BindingStore(admin, paths, CREDENTIALS);
			adminStore.bind("inventory", ADDRESS, FEATURE_X);
			adminStore.bindSource("10.1.2.3", FEATURE_X);
			assertThat(admin.getACL().forPath(path)).containsExactlyElementsOf(CREDENTIALS.acl());
			assertThat(admin.getACL().forPath(paths.servicePath("inventory"))).containsExactlyElementsOf(CREDENTIALS.acl());

			for (CuratorFramework outsider : new CuratorFramework[] { anonymous, impostor }) {
				BindingStore store = new BindingStore(outsider, paths, null);
				assertThat(store.instanceBinding("inventory", ADDRESS).map(InstanceBinding::group)).contains(FEATURE_X);
				assertThat(store.sourceBinding("10.1.2.3")).isPresent();

				assertThatExceptionOfType(BindingAccessDeniedException.class)
					.isThrownBy(() -> store.bind("inventory", ADDRESS, FEATURE_Y))
					.withMessage("Not allowed to write " + path + ": the bindings are protected by a ZooKeeper digest ACL; "
							+ "pass the credentials that protect them (--auth USER:PASSWORD on the command line, "
							+ "isolation.zookeeper.auth in an application)");
				assertThatExceptionOfType(BindingAccessDeniedException.class)
					.isThrownBy(() -> store.unbind("inventory", ADDRESS))
					.withMessageStartingWith("Not allowed to remove " + path);
				assertThatExceptionOfType(BindingAccessDeniedException.class)
					.isThrownBy(() -> store.bind("inventory", InstanceAddress.parse("10.0.0.8:8080"), FEATURE_Y))
					.withMessageContaining("pass the credentials");
				assertThatExceptionOfType(BindingAccessDeniedException.class)
					.isThrownBy(() -> store.unbindSource("10.1.2.3"))
					.withMessageContaining("pass the credentials");
				assertThatExceptionOfType(BindingAccessDeniedException.class).isThrownBy(() -> store.prune(FEATURE_X));
			}

			assertThat(adminStore.instanceBindings()).extracting(InstanceBinding::group).containsExactly(FEATURE_X);
			adminStore.bind("inventory", ADDRESS, FEATURE_Y);
			assertThat(adminStore.unbind("inventory", ADDRESS).map(InstanceBinding::group)).contains(FEATURE_Y);
		}
	}

	@Test
	void shouldLetAnyClientReadProtectedBindingsIntoItsView() throws Exception {
		BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
		try (CuratorFramework admin = ZooKeeperTestSupport.startClient(server.getConnectString(), CREDENTIALS);
				CuratorFramework anonymous = ZooKeeperTestSupport.startClient(server.getConnectString());
				BindingsView view = new BindingsView(anonymous, paths)) {
			new BindingStore(admin, paths, CREDENTIALS).bind("inventory", ADDRESS, FEATURE_X);

			view.start();

			assertThat(view.awaitInitialized(Duration.ofSeconds(5))).isTrue();
			assertThat(view.instanceGroup("inventory", "10.0.0.7", 8080)).contains(FEATURE_X);
		}
	}

	@Test
	void shouldProtectASelfBindingWithTheAcl() throws Exception {
		BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
		String path = paths.instancePath("inventory", ADDRESS);
		try (CuratorFramework instance = ZooKeeperTestSupport.startClient(server.getConnectString(), CREDENTIALS);
				CuratorFramework anonymous = ZooKeeperTestSupport.startClient(server.getConnectString());
				SelfBinding binding = new SelfBinding(instance, paths, CREDENTIALS, "inventory", ADDRESS, FEATURE_X)) {
			binding.start();

			await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
				.untilAsserted(() -> assertThat(instance.getACL().forPath(path)).containsExactlyElementsOf(CREDENTIALS.acl()));
			// ZooKeeper shows a reader without ADMIN rights the digest as "x": the hash stays secret.
			assertThat(anonymous.getACL().forPath(path)).extracting((acl) -> acl.getId().getId())
				.containsExactly("admin:x", "anyone");
			assertThat(anonymous.getData().forPath(path)).isEqualTo("feature-x".getBytes(StandardCharsets.UTF_8));
			assertThatExceptionOfType(KeeperException.NoAuthException.class)
				.isThrownBy(() -> anonymous.setData().forPath(path, "feature-y".getBytes(StandardCharsets.UTF_8)));
			assertThatExceptionOfType(KeeperException.NoAuthException.class)
				.isThrownBy(() -> anonymous.delete().forPath(path));
		}
	}

	@Test
	void shouldProtectASelfBindingFromItsFirstMomentWithTheAclProvider() throws Exception {
		BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
		String path = paths.instancePath("inventory", ADDRESS);
		CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
			.connectString(server.getConnectString())
			.retryPolicy(new RetryOneTime(100))
			.aclProvider(CREDENTIALS.aclProvider(paths));
		try (CuratorFramework instance = CREDENTIALS.authorize(builder).build();
				CuratorFramework anonymous = ZooKeeperTestSupport.startClient(server.getConnectString());
				SelfBinding binding = new SelfBinding(instance, paths, CREDENTIALS, "inventory", ADDRESS, FEATURE_X)) {
			instance.start();
			binding.start();

			await().atMost(Duration.ofSeconds(5)).until(() -> anonymous.checkExists().forPath(path) != null);
			assertThat(instance.getACL().forPath(path)).containsExactlyElementsOf(CREDENTIALS.acl());
			assertThat(instance.getACL().forPath(paths.root())).containsExactlyElementsOf(CREDENTIALS.acl());
		}
	}

}
