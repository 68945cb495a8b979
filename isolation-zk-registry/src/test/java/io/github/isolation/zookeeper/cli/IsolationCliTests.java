package io.github.isolation.zookeeper.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.InstanceAddress;
import io.github.isolation.zookeeper.SourceBinding;
import io.github.isolation.zookeeper.ZooKeeperTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

class IsolationCliTests {

	private static TestingServer server;

	private CuratorFramework client;

	private BindingPaths paths;

	private String out;

	private String err;

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
	}

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	@Test
	void shouldBindListAndUnbindAnInstance() {
		assertThat(cli("bind", "Inventory", "10.0.0.7:8080", "feature-x")).isZero();
		assertThat(this.out).isEqualTo("bound inventory 10.0.0.7:8080 to feature-x\n");
		assertThat(store().instanceBinding("inventory", InstanceAddress.parse("10.0.0.7:8080"))).isPresent();

		assertThat(cli("bind", "orders", "[::1]:9090", "stable")).isZero();
		assertThat(cli("list")).isZero();
		assertThat(this.out).isEqualTo("""
				SERVICE    ADDRESS        GROUP      KIND
				inventory  10.0.0.7:8080  feature-x  persistent
				orders     [::1]:9090     stable     persistent
				""");
		assertThat(this.err).isEmpty();

		assertThat(cli("unbind", "inventory", "10.0.0.7:8080")).isZero();
		assertThat(this.out).isEqualTo("unbound inventory 10.0.0.7:8080 (was feature-x)\n");
		assertThat(cli("list", "--no-headers")).isZero();
		assertThat(this.out).isEqualTo("orders  [::1]:9090  stable  persistent\n");
	}

	@Test
	void shouldFilterTheListByServiceAndGroup() throws Exception {
		store().bind("inventory", InstanceAddress.parse("10.0.0.1:8080"), IsolationGroup.of("feature-x"));
		store().bind("inventory", InstanceAddress.parse("10.0.0.2:8080"), IsolationGroup.of("feature-y"));
		store().bind("orders", InstanceAddress.parse("10.0.0.3:8080"), IsolationGroup.of("feature-x"));
		this.client.create().withMode(CreateMode.EPHEMERAL)
			.forPath(this.paths.instancePath("orders", InstanceAddress.parse("10.0.0.4:8080")),
					"feature-x".getBytes(StandardCharsets.UTF_8));

		assertThat(cli("list", "--service", "INVENTORY")).isZero();
		assertThat(this.out.lines()).containsExactly("SERVICE    ADDRESS        GROUP      KIND",
				"inventory  10.0.0.1:8080  feature-x  persistent", "inventory  10.0.0.2:8080  feature-y  persistent");

		assertThat(cli("list", "--group=feature-x", "--no-headers")).isZero();
		assertThat(this.out.lines()).containsExactly("inventory  10.0.0.1:8080  feature-x  persistent",
				"orders     10.0.0.3:8080  feature-x  persistent", "orders     10.0.0.4:8080  feature-x  ephemeral");
	}

	@Test
	void shouldCountTheInstancesAndSourcesOfEachGroup() {
		store().bind("inventory", InstanceAddress.parse("10.0.0.1:8080"), IsolationGroup.of("feature-x"));
		store().bind("orders", InstanceAddress.parse("10.0.0.2:8080"), IsolationGroup.of("feature-x"));
		store().bind("orders", InstanceAddress.parse("10.0.0.3:8080"), IsolationGroup.of("feature-long-name"));
		store().bindSource("10.1.2.3", IsolationGroup.of("feature-y"));

		assertThat(cli("groups")).isZero();

		assertThat(this.out).isEqualTo("""
				GROUP              INSTANCES  SOURCES
				feature-long-name  1          0
				feature-x          2          0
				feature-y          0          1
				""");
	}

	@Test
	void shouldPruneTheGroupButKeepInstancesOwnBindings() throws Exception {
		store().bind("inventory", InstanceAddress.parse("10.0.0.1:8080"), IsolationGroup.of("feature-x"));
		store().bind("orders", InstanceAddress.parse("10.0.0.2:8080"), IsolationGroup.of("feature-y"));
		store().bindSource("10.1.2.3", IsolationGroup.of("feature-x"));
		this.client.create().withMode(CreateMode.EPHEMERAL)
			.forPath(this.paths.instancePath("inventory", InstanceAddress.parse("10.0.0.4:8080")),
					"feature-x".getBytes(StandardCharsets.UTF_8));

		assertThat(cli("prune", "feature-x")).isZero();

		assertThat(this.out.lines()).containsExactly("removed inventory 10.0.0.1:8080", "removed source 10.1.2.3",
				"kept inventory 10.0.0.4:8080 (the instance's own binding; it goes when the instance stops)",
				"pruned feature-x: removed 1 instance and 1 source bindings, kept 1 ephemeral");
		assertThat(store().instanceBindings()).extracting((binding) -> binding.address().toString())
			.containsExactly("10.0.0.4:8080", "10.0.0.2:8080");
		assertThat(store().sourceBindings()).isEmpty();
	}

	@Test
	void shouldBindListAndUnbindASource() {
		assertThat(cli("source", "bind", "0:0:0:0:0:0:0:1", "feature-x")).isZero();
		assertThat(this.out).isEqualTo("bound source ::1 to feature-x\n");
		assertThat(cli("source", "bind", "10.1.2.3", "feature-y")).isZero();

		assertThat(cli("source", "list")).isZero();
		assertThat(this.out).isEqualTo("""
				ADDRESS   GROUP
				10.1.2.3  feature-y
				::1       feature-x
				""");
		assertThat(cli("source", "list", "--group", "feature-x", "--no-headers")).isZero();
		assertThat(this.out).isEqualTo("::1  feature-x\n");

		assertThat(cli("source", "unbind", "::1")).isZero();
		assertThat(this.out).isEqualTo("unbound source ::1 (was feature-x)\n");
		assertThat(store().sourceBindings()).extracting(SourceBinding::address).containsExactly("10.1.2.3");
	}

	@Test
	void shouldPrintTheUsageOfTheToolAndOfEachCommand() {
		assertThat(cli("help")).isZero();
		String usage = this.out;
		assertThat(usage).startsWith("Usage: isolation")
			.contains("bind", "unbind", "list", "groups", "prune", "source", "generate-completion")
			.contains("--connect=CONNECT_STRING", "Exit codes: 0 success, 1 failure, 2 usage error.");
		assertThat(cli("--help")).isZero();
		assertThat(this.out).isEqualTo(usage);
		assertThat(run("-h")).isZero();
		assertThat(this.out).isEqualTo(usage);

		assertThat(cli("help", "bind")).isZero();
		String bindUsage = this.out;
		assertThat(bindUsage).startsWith("Usage: isolation bind").contains("SERVICE HOST:PORT GROUP");
		assertThat(cli("bind", "--help")).isZero();
		assertThat(this.out).isEqualTo(bindUsage);
		assertThat(cli("source", "list", "--help")).isZero();
		assertThat(this.out).startsWith("Usage: isolation source list").contains("--output=FORMAT");
		assertThat(this.err).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			bind inventory 10.0.0.7:8080 Feature-X  | error: isolation group name must be 1 to 63 characters
			bind inventory 10.0.0.7 feature-x       | error: address must be HOST:PORT
			bind inventory ::1:8080 feature-x       | error: address must be HOST:PORT
			bind -inventory 10.0.0.7:80 feature-x   | error: unknown option '-inventory'
			bind in/ventory 10.0.0.7:80 feature-x   | error: service id must be 1 to 128 characters
			bind inventory 10.0.0.7:8080            | error: bind needs SERVICE HOST:PORT GROUP, but GROUP is missing
			unbind inventory                        | error: unbind needs SERVICE HOST:PORT, but HOST:PORT is missing
			unbind inventory 10.0.0.7:80 extra      | error: unexpected argument 'extra' for unbind
			prune                                   | error: prune needs GROUP, but GROUP is missing
			prune STABLE!                           | error: isolation group name must be
			source bind localhost feature-x         | error: source address must be an IPv4 or IPv6 address
			source                                  | error: source needs a subcommand: bind, unbind or list
			source delete 10.1.2.3                  | error: unknown command 'source delete'
			deploy inventory                        | error: unknown command 'deploy'
			list --colour                           | error: unknown option '--colour'
			list --group                            | error: --group needs a value: --group GROUP
			groups --service inventory              | error: unknown option '--service'
			list --timeout soon                     | error: --timeout must be a duration of 1ms to 10m such as 5s or 500ms, but was 'soon'
			list --root relative                    | error: root must be an absolute ZooKeeper path below '/'
			list --auth nopassword                  | error: auth must be USER:PASSWORD
			''                                      | error: no command given
			""")
	void shouldRejectBadInputWithOneLineAndExitCodeTwo(String commandLine, String expectedError) {
		List<String> args = new ArrayList<>(List.of("--connect", server.getConnectString(), "--root", this.paths.root()));
		if (!commandLine.isEmpty()) {
			args.addAll(List.of(commandLine.split(" ")));
		}

		int exitCode = run(args.toArray(String[]::new));

		assertThat(exitCode).isEqualTo(IsolationCli.EXIT_USAGE);
		assertThat(this.out).isEmpty();
		assertThat(this.err).startsWith(expectedError).matches("(?s).* \\(see 'isolation (help|[a-z ]+ --help)'\\)\n");
		assertThat(this.err.lines()).hasSize(1);
		assertThat(store().instanceBindings()).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			''                          | (see 'isolation help')
			deploy                      | (see 'isolation help')
			bind inventory              | (see 'isolation bind --help')
			source bind 10.1.2.3 Bad!   | (see 'isolation source bind --help')
			source delete               | (see 'isolation source --help')
			""")
	void shouldPointAtTheHelpOfTheCommandThatWasMistyped(String commandLine, String expectedHint) {
		int exitCode = cli(commandLine.isEmpty() ? new String[0] : commandLine.split(" "));

		assertThat(exitCode).isEqualTo(IsolationCli.EXIT_USAGE);
		assertThat(this.err).endsWith(" " + expectedHint + "\n");
	}

	@Test
	void shouldPrintEveryListingAsJson() throws Exception {
		store().bind("inventory", InstanceAddress.parse("10.0.0.1:8080"), IsolationGroup.of("feature-x"));
		this.client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
			.forPath(this.paths.instancePath("orders", InstanceAddress.parse("[::1]:9090")),
					"feature-x".getBytes(StandardCharsets.UTF_8));
		store().bindSource("10.1.2.3", IsolationGroup.of("feature-y"));

		assertThat(cli("list", "--output", "json")).isZero();
		assertThat(this.out).isEqualTo("[{\"service\":\"inventory\",\"address\":\"10.0.0.1:8080\",\"group\":\"feature-x\","
				+ "\"kind\":\"persistent\"},{\"service\":\"orders\",\"address\":\"[::1]:9090\",\"group\":\"feature-x\","
				+ "\"kind\":\"ephemeral\"}]\n");

		assertThat(cli("groups", "-o", "JSON")).isZero();
		assertThat(this.out).isEqualTo("[{\"group\":\"feature-x\",\"instances\":2,\"sources\":0},"
				+ "{\"group\":\"feature-y\",\"instances\":0,\"sources\":1}]\n");

		assertThat(cli("source", "list", "--output=json")).isZero();
		assertThat(this.out).isEqualTo("[{\"address\":\"10.1.2.3\",\"group\":\"feature-y\"}]\n");

		// An empty listing is an empty array, not nothing, so that a script can always parse it.
		assertThat(cli("list", "--group", "feature-z", "--output", "json")).isZero();
		assertThat(this.out).isEqualTo("[]\n");
		assertThat(this.err).isEmpty();
	}

	@Test
	void shouldRefuseAnUnknownOutputFormat() {
		assertThat(cli("list", "--output", "yaml")).isEqualTo(IsolationCli.EXIT_USAGE);
		assertThat(this.out).isEmpty();
		assertThat(this.err).startsWith("error: Invalid value for option '--output': expected one of [TABLE, JSON]")
			.endsWith("(see 'isolation list --help')\n");
		assertThat(this.err.lines()).hasSize(1);
	}

	@Test
	void shouldPrintTheVersion() {
		assertThat(run("--version")).isZero();
		assertThat(this.out.lines().findFirst()).hasValueSatisfying(
				(line) -> assertThat(line).matches("isolation \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"));
		assertThat(this.err).isEmpty();
	}

	@Test
	void shouldGenerateABashAndZshCompletionScriptThatKnowsEveryCommand() {
		assertThat(run("generate-completion")).isZero();

		assertThat(this.out).startsWith("#!/usr/bin/env bash")
			.contains("complete -F _complete_isolation", "function _picocli_isolation_source_bind()")
			.contains("bind", "unbind", "list", "groups", "prune", "source", "--connect", "--output");
		assertThat(this.err).isEmpty();
	}

	@Test
	void shouldFailWithOneLineWhenZooKeeperIsUnreachable() throws Exception {
		String closedPort = "127.0.0.1:" + freePort();

		int exitCode = run("--connect", closedPort, "--timeout", "1s", "list");

		assertThat(exitCode).isEqualTo(IsolationCli.EXIT_FAILURE);
		assertThat(this.out).isEmpty();
		assertThat(this.err).isEqualTo("error: cannot connect to ZooKeeper at " + closedPort
				+ " within 1s; check --connect\n");
	}

	@Test
	void shouldFailWithOneLineWhenThereIsNothingToUnbind() {
		assertThat(cli("unbind", "inventory", "10.0.0.7:8080")).isEqualTo(IsolationCli.EXIT_FAILURE);
		assertThat(this.err).isEqualTo("error: inventory 10.0.0.7:8080 has no binding\n");
		assertThat(cli("source", "unbind", "10.1.2.3")).isEqualTo(IsolationCli.EXIT_FAILURE);
		assertThat(this.err).isEqualTo("error: source 10.1.2.3 has no binding\n");
	}

	@Test
	void shouldSayWhenUnbindRemovedAMalformedNode() throws Exception {
		String path = this.paths.instancePath("inventory", InstanceAddress.parse("10.0.0.7:8080"));
		this.client.create().creatingParentContainersIfNeeded().forPath(path, "Feature X!".getBytes(StandardCharsets.UTF_8));

		assertThat(cli("unbind", "inventory", "10.0.0.7:8080")).isEqualTo(IsolationCli.EXIT_OK);
		assertThat(this.out).isEqualTo("unbound inventory 10.0.0.7:8080 (removed a malformed node: data 'Feature X!'"
				+ " is not a valid group name)\n");
		assertThat(this.client.checkExists().forPath(path)).isNull();
	}

	@Test
	void shouldRefuseToRebindAnInstancesOwnBinding() throws Exception {
		String path = this.paths.instancePath("inventory", InstanceAddress.parse("10.0.0.7:8080"));
		this.client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
			.forPath(path, "feature-x".getBytes(StandardCharsets.UTF_8));

		assertThat(cli("bind", "inventory", "10.0.0.7:8080", "feature-y")).isEqualTo(IsolationCli.EXIT_FAILURE);

		assertThat(this.err).startsWith("error: Cannot rebind " + path + ": it is the instance's own binding");
		assertThat(this.err.lines()).hasSize(1);
	}

	@Test
	void shouldWriteProtectedBindingsWithAuthAndRefuseChangesWithout() {
		assertThat(cli("--auth", "admin:s3cret", "bind", "inventory", "10.0.0.7:8080", "feature-x")).isZero();

		assertThat(cli("unbind", "inventory", "10.0.0.7:8080")).isEqualTo(IsolationCli.EXIT_FAILURE);
		assertThat(this.err).isEqualTo("error: Not allowed to remove "
				+ this.paths.instancePath("inventory", InstanceAddress.parse("10.0.0.7:8080"))
				+ ": the bindings are protected by a ZooKeeper digest ACL; pass the credentials that protect them "
				+ "(--auth USER:PASSWORD on the command line, isolation.zookeeper.auth in an application)\n");
		assertThat(cli("list", "--no-headers")).isZero();
		assertThat(this.out).isEqualTo("inventory  10.0.0.7:8080  feature-x  persistent\n");

		// The credentials may come from the environment, out of sight of ps.
		int exitCode = IsolationCli.run(args("unbind", "inventory", "10.0.0.7:8080"), discard(), discard(),
				Map.of(IsolationCli.AUTH_ENVIRONMENT_VARIABLE, "admin:s3cret"));
		assertThat(exitCode).isZero();
	}

	private BindingStore store() {
		return new BindingStore(this.client, this.paths, null);
	}

	/** Runs a command against the test server and root. */
	private int cli(String... command) {
		return run(args(command));
	}

	private String[] args(String... command) {
		List<String> args = new ArrayList<>(List.of("--connect", server.getConnectString(), "--root", this.paths.root()));
		args.addAll(List.of(command));
		return args.toArray(String[]::new);
	}

	private int run(String... args) {
		ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
		ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
		int exitCode = IsolationCli.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
				new PrintStream(errBytes, true, StandardCharsets.UTF_8), Map.of());
		this.out = outBytes.toString(StandardCharsets.UTF_8);
		this.err = errBytes.toString(StandardCharsets.UTF_8);
		return exitCode;
	}

	private static PrintStream discard() {
		return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("127.0.0.1", 0));
			return socket.getLocalPort();
		}
	}

}
