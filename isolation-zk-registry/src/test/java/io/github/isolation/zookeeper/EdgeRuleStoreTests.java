package io.github.isolation.zookeeper;

import java.nio.charset.StandardCharsets;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.RuleValidationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EdgeRuleStoreTests {

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
	void shouldPutGetListEnableAndDeleteRules() {
		BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString())) {
			EdgeRuleStore store = new EdgeRuleStore(client, paths, null);
			EdgeRule canary = store.put(EdgeRuleJsonTests.EXAMPLE);
			EdgeRule first = new EdgeRule("a-first", IsolationGroup.of("feature-y"), 1, true, null, null);
			store.put(first);

			assertThat(store.get("canary-users")).contains(canary);
			assertThat(store.get("absent")).isEmpty();
			assertThat(store.list()).containsExactly(first, canary);

			assertThat(store.setEnabled("canary-users", false)).contains(canary.withEnabled(false));
			assertThat(store.get("canary-users")).contains(canary.withEnabled(false));
			assertThat(store.setEnabled("absent", true)).isEmpty();

			assertThat(store.delete("a-first")).isTrue();
			assertThat(store.delete("a-first")).isFalse();
			assertThat(store.list()).containsExactly(canary.withEnabled(false));
		}
	}

	@Test
	void shouldWriteNothingForAnInvalidRule() throws Exception {
		BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString())) {
			EdgeRuleStore store = new EdgeRuleStore(client, paths, null);
			assertThatExceptionOfType(RuleValidationException.class)
				.isThrownBy(() -> store.put(EdgeRuleJsonTests.EXAMPLE.replace("feature-x", "Feature X")))
				.withMessageStartingWith("group must be 1 to 63 characters");
			assertThat(client.checkExists().forPath(paths.edgeRulePath("canary-users"))).isNull();
		}
	}

	@Test
	void shouldReportNodesWrittenBehindItsBackThatAreNotValidRules() throws Exception {
		BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
		try (CuratorFramework client = ZooKeeperTestSupport.startClient(server.getConnectString())) {
			EdgeRuleStore store = new EdgeRuleStore(client, paths, null);
			store.put(EdgeRuleJsonTests.EXAMPLE);
			client.create().creatingParentsIfNeeded().forPath(paths.edgeRulePath("broken"),
					"{\"id\":\"broken\",\"group\":\"g\",\"priority\":\"high\"}".getBytes(StandardCharsets.UTF_8));
			client.create().forPath(paths.edgeRulePath("renamed"),
					EdgeRuleJsonTests.EXAMPLE.getBytes(StandardCharsets.UTF_8));

			assertThat(store.list()).extracting(EdgeRule::id).containsExactly("canary-users");
			assertThat(store.invalid()).containsOnlyKeys("broken", "renamed");
			assertThat(store.invalid().get("renamed")).isEqualTo(
					"id must be the name of the rule's node 'renamed', but was 'canary-users'");
			assertThatExceptionOfType(RuleValidationException.class).isThrownBy(() -> store.get("broken"))
				.withMessageStartingWith("priority must be a whole number");
			assertThat(store.delete("broken")).isTrue();
		}
	}

	@Test
	void shouldLetOnlyTheCredentialsChangeProtectedRules() throws Exception {
		BindingPaths paths = ZooKeeperTestSupport.uniquePaths();
		DigestCredentials admin = DigestCredentials.parse("admin:secret");
		try (CuratorFramework owner = ZooKeeperTestSupport.startClient(server.getConnectString(), admin);
				CuratorFramework stranger = ZooKeeperTestSupport.startClient(server.getConnectString())) {
			EdgeRuleStore ownerStore = new EdgeRuleStore(owner, paths, admin);
			EdgeRule rule = ownerStore.put(EdgeRuleJsonTests.EXAMPLE);
			EdgeRuleStore strangerStore = new EdgeRuleStore(stranger, paths, null);

			assertThat(strangerStore.get("canary-users")).contains(rule);
			assertThatExceptionOfType(BindingAccessDeniedException.class)
				.isThrownBy(() -> strangerStore.put(rule.withEnabled(false)))
				.withMessageContaining("the rules are protected by a ZooKeeper digest ACL");
			assertThatExceptionOfType(BindingAccessDeniedException.class)
				.isThrownBy(() -> strangerStore.setEnabled("canary-users", false));
			assertThatExceptionOfType(BindingAccessDeniedException.class)
				.isThrownBy(() -> strangerStore.delete("canary-users"));
			assertThatExceptionOfType(BindingAccessDeniedException.class)
				.isThrownBy(() -> strangerStore.put(new EdgeRule("other", IsolationGroup.of("g"), 0, true, null, null)));
			assertThat(ownerStore.list()).containsExactly(rule);
		}
	}

}
