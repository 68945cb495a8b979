package io.github.isolation.zookeeper;

import java.nio.charset.StandardCharsets;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

class BindingStoreTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	private static TestingServer server;

	private CuratorFramework client;

	private BindingPaths paths;

	private BindingStore store;

	@BeforeAll
	static void startServer() throws Exception {
		server = ZooKeeperTestSupport.startServer();
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@BeforeEach
	void setUp() {
		this.client = ZooKeeperTestSupport.startClient(server.getConnectString());
		this.paths = ZooKeeperTestSupport.uniquePaths();
		this.store = new BindingStore(this.client, this.paths, null);
	}

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	@Test
	void shouldRoundTripAnInstanceBinding() throws Exception {
		InstanceAddress address = InstanceAddress.parse("10.0.0.7:8080");

		this.store.bind("Inventory", address, FEATURE_X);

		String path = this.paths.root() + "/bindings/inventory/10.0.0.7:8080";
		assertThat(new String(this.client.getData().forPath(path), StandardCharsets.UTF_8)).isEqualTo("feature-x");
		assertThat(this.store.instanceBinding("inventory", address))
			.contains(new InstanceBinding("inventory", address, FEATURE_X, false));
		assertThat(this.store.instanceBindings()).containsExactly(new InstanceBinding("inventory", address, FEATURE_X,
				false));

		this.store.bind("inventory", address, FEATURE_Y);
		assertThat(this.store.instanceBinding("INVENTORY", address).map(InstanceBinding::group)).contains(FEATURE_Y);

		assertThat(this.store.unbind("inventory", address).map(InstanceBinding::group)).contains(FEATURE_Y);
		assertThat(this.store.instanceBinding("inventory", address)).isEmpty();
		assertThat(this.store.unbind("inventory", address)).isEmpty();
	}

	@Test
	void shouldRoundTripAnIpv6InstanceBinding() throws Exception {
		this.store.bind("orders", InstanceAddress.parse("[0:0:0:0:0:0:0:1]:9090"), FEATURE_X);

		assertThat(this.client.checkExists().forPath(this.paths.root() + "/bindings/orders/[::1]:9090")).isNotNull();
		assertThat(this.store.instanceBindings()).extracting((binding) -> binding.address().toString())
			.containsExactly("[::1]:9090");
	}

	@Test
	void shouldRoundTripASourceBinding() throws Exception {
		this.store.bindSource("10.1.2.3", FEATURE_X);
		this.store.bindSource("0:0:0:0:0:0:0:1", FEATURE_Y);

		assertThat(this.client.checkExists().forPath(this.paths.root() + "/sources/::1")).isNotNull();
		assertThat(this.store.sourceBinding("10.1.2.3")).contains(new SourceBinding("10.1.2.3", FEATURE_X, false));
		assertThat(this.store.sourceBindings()).extracting(SourceBinding::address).containsExactly("10.1.2.3", "::1");

		assertThat(this.store.unbindSource("::1").map(SourceBinding::group)).contains(FEATURE_Y);
		assertThat(this.store.sourceBinding("::1")).isEmpty();
	}

	@Test
	void shouldListNothingWhenTheRootDoesNotExist() {
		assertThat(this.store.instanceBindings()).isEmpty();
		assertThat(this.store.sourceBindings()).isEmpty();
		assertThat(this.store.prune(FEATURE_X).removedInstances()).isEmpty();
	}

	@Test
	void shouldPruneOnlyPersistentBindingsOfTheGroup() throws Exception {
		InstanceAddress persistent = InstanceAddress.parse("10.0.0.1:8080");
		InstanceAddress ephemeral = InstanceAddress.parse("10.0.0.2:8080");
		InstanceAddress otherGroup = InstanceAddress.parse("10.0.0.3:8080");
		this.store.bind("inventory", persistent, FEATURE_X);
		this.store.bind("orders", otherGroup, FEATURE_Y);
		this.store.bindSource("10.9.9.9", FEATURE_X);
		this.store.bindSource("10.9.9.8", FEATURE_Y);
		this.client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
			.forPath(this.paths.instancePath("inventory", ephemeral), "feature-x".getBytes(StandardCharsets.UTF_8));

		BindingStore.PruneResult result = this.store.prune(FEATURE_X);

		assertThat(result.removedInstances()).extracting(InstanceBinding::address).containsExactly(persistent);
		assertThat(result.removedSources()).extracting(SourceBinding::address).containsExactly("10.9.9.9");
		assertThat(result.keptEphemeral()).extracting(InstanceBinding::address).containsExactly(ephemeral);
		assertThat(this.store.instanceBindings()).extracting(InstanceBinding::address, InstanceBinding::group,
				InstanceBinding::ephemeral)
			.containsExactly(tuple(ephemeral, FEATURE_X, true),
					tuple(otherGroup, FEATURE_Y, false));
		assertThat(this.store.sourceBindings()).extracting(SourceBinding::address).containsExactly("10.9.9.8");
	}

	@Test
	void shouldRefuseToChangeAnInstancesOwnBinding() throws Exception {
		InstanceAddress address = InstanceAddress.parse("10.0.0.2:8080");
		String path = this.paths.instancePath("inventory", address);
		this.client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
			.forPath(path, "feature-x".getBytes(StandardCharsets.UTF_8));

		assertThatExceptionOfType(BindingConflictException.class)
			.isThrownBy(() -> this.store.bind("inventory", address, FEATURE_Y))
			.withMessage("Cannot rebind " + path + ": it is the instance's own binding to 'feature-x' (ephemeral), "
					+ "which the instance would restore; change the instance's isolation.group or stop it instead");
		assertThatExceptionOfType(BindingConflictException.class)
			.isThrownBy(() -> this.store.unbind("inventory", address))
			.withMessageStartingWith("Cannot unbind " + path);
		Stat stat = this.client.checkExists().forPath(path);
		assertThat(stat.getVersion()).isZero();
	}

	@Test
	void shouldLeaveMalformedNodesOutOfListingsButRemoveThemOnUnbind() throws Exception {
		InstanceAddress address = InstanceAddress.parse("10.0.0.4:8080");
		this.client.create().creatingParentContainersIfNeeded()
			.forPath(this.paths.instancePath("inventory", address), "Not A Group".getBytes(StandardCharsets.UTF_8));
		this.client.create().creatingParentContainersIfNeeded()
			.forPath(this.paths.bindingsPath() + "/inventory/not-an-address", "feature-x".getBytes(StandardCharsets.UTF_8));

		assertThat(this.store.instanceBindings()).isEmpty();
		assertThat(this.store.instanceBinding("inventory", address)).isEmpty();
		assertThat(this.store.unbind("inventory", address)).isEmpty();
		assertThat(this.client.checkExists().forPath(this.paths.instancePath("inventory", address))).isNull();
	}

}
