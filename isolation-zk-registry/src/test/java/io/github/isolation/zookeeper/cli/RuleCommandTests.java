package io.github.isolation.zookeeper.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.StickySplit;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.EdgeRuleJson;
import io.github.isolation.zookeeper.EdgeRuleStore;
import io.github.isolation.zookeeper.ZooKeeperTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code rule} commands against a real ZooKeeper. */
class RuleCommandTests {

	private static final String CANARY = """
			{
			  "id": "canary-users",
			  "group": "feature-x",
			  "priority": 10,
			  "match": { "all": [ { "source": "header", "name": "x-app", "op": "in", "values": ["ios", "android"] } ] },
			  "split": { "key": "header:x-user-id", "percent": 50.0 }
			}
			""";

	private static final String MOBILE_BETA = """
			{ "id": "mobile-beta", "group": "feature-y", "priority": 5,
			  "match": { "any": [ { "source": "header", "name": "x-beta", "op": "present" } ] } }
			""";

	private static TestingServer server;

	private CuratorFramework client;

	private BindingPaths paths;

	private String out;

	private String err;

	@TempDir
	private Path directory;

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
	void shouldPutARuleFromAFileAndShowItBack() throws Exception {
		Path file = Files.writeString(this.directory.resolve("canary.json"), CANARY);

		assertThat(cli("rule", "put", file.toString())).isZero();

		assertThat(this.out).isEqualTo("put rule canary-users: group feature-x, priority 10, enabled, "
				+ "header:x-app in [ios, android], 50.00% of header:x-user-id\n");
		EdgeRule stored = rules().get("canary-users").orElseThrow();
		assertThat(stored).isEqualTo(EdgeRuleJson.read(CANARY));

		assertThat(cli("rule", "show", "canary-users")).isZero();
		assertThat(this.out).isEqualTo(EdgeRuleJson.write(stored));
		assertThat(EdgeRuleJson.read(this.out)).isEqualTo(stored);
	}

	@Test
	void shouldPutARuleFromStandardInputAndReplaceAnExistingOne() {
		assertThat(cliWithInput(CANARY, "rule", "put", "-")).isZero();
		String changed = CANARY.replace("\"feature-x\"", "\"feature-z\"");

		assertThat(cliWithInput(changed, "rule", "put", "-")).isZero();

		assertThat(this.out).startsWith("put rule canary-users: group feature-z,");
		assertThat(rules().get("canary-users").orElseThrow().group()).isEqualTo(IsolationGroup.of("feature-z"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			"percent": 50.0                       | "percent": 120         | split.percent must be a number from 0 to 100
			"op": "in"                            | "op": "like"           | match.all[0].op must be one of
			"group": "feature-x"                  | "group": "Feature X"   | group must be
			"id": "canary-users"                  | "id": "Canary Users"   | id must be 1 to 63 characters
			"priority": 10                        | "priority": "high"     | priority must be
			""")
	void shouldRefuseAnInvalidRuleNamingTheFieldAndWriteNothing(String valid, String invalid, String expectedError)
			throws Exception {
		String json = CANARY.replace(valid, invalid);
		assertThat(json).isNotEqualTo(CANARY);

		int exitCode = cliWithInput(json, "rule", "put", "-");

		assertThat(exitCode).isEqualTo(IsolationCli.EXIT_USAGE);
		assertThat(this.out).isEmpty();
		assertThat(this.err).startsWith("error: invalid rule in standard input: " + expectedError)
			.contains("; nothing was written")
			.endsWith("(see 'isolation rule put --help')\n");
		assertThat(this.err.lines()).hasSize(1);
		assertThat(this.client.checkExists().forPath(this.paths.edgeRulesPath())).isNull();
	}

	@Test
	void shouldRefuseAnInvalidRuleBeforeConnecting() throws Exception {
		String closedPort = "127.0.0.1:" + freePort();

		int exitCode = run(null, "--connect", closedPort, "--timeout", "1s", "rule", "put",
				Files.writeString(this.directory.resolve("bad.json"), "{\"id\": \"x\"}").toString());

		// A usage error, not "cannot connect": the rule was refused without trying ZooKeeper.
		assertThat(exitCode).isEqualTo(IsolationCli.EXIT_USAGE);
		assertThat(this.err).startsWith("error: invalid rule in '" + this.directory.resolve("bad.json") + "': group ");
	}

	@Test
	void shouldRefuseAFileThatCannotBeRead() {
		Path missing = this.directory.resolve("missing.json");

		assertThat(cli("rule", "put", missing.toString())).isEqualTo(IsolationCli.EXIT_USAGE);

		assertThat(this.err).startsWith("error: cannot read '" + missing + "': NoSuchFileException");
		assertThat(this.err.lines()).hasSize(1);
	}

	@Test
	void shouldListTheRulesInTheOrderTheEdgeTriesThemAsATableOrJson() throws Exception {
		rules().put(EdgeRuleJson.read(CANARY));
		rules().put(EdgeRuleJson.read(MOBILE_BETA).withEnabled(false));

		assertThat(cli("rule", "list")).isZero();
		assertThat(this.out).isEqualTo("""
				ID            GROUP      PRIORITY  ENABLED  MATCH                           SPLIT
				mobile-beta   feature-y  5         no       header:x-beta present []        all
				canary-users  feature-x  10        yes      header:x-app in [ios, android]  50.00% of header:x-user-id
				""");
		assertThat(this.err).isEmpty();

		assertThat(cli("rule", "list", "--output", "json")).isZero();
		assertThat(this.out).isEqualTo("[{\"id\":\"mobile-beta\",\"group\":\"feature-y\",\"priority\":5,\"enabled\":false,"
				+ "\"match\":{\"any\":[{\"source\":\"header\",\"name\":\"x-beta\",\"op\":\"present\"}]}},"
				+ "{\"id\":\"canary-users\",\"group\":\"feature-x\",\"priority\":10,\"enabled\":true,"
				+ "\"match\":{\"all\":[{\"source\":\"header\",\"name\":\"x-app\",\"op\":\"in\",\"values\":[\"ios\",\"android\"]}]},"
				+ "\"split\":{\"key\":\"header:x-user-id\",\"percent\":50.0,\"salt\":\"canary-users\"}}]\n");
	}

	@Test
	void shouldWarnOfANodeWrittenBehindTheToolsBackAndLeaveItOutOfTheListing() throws Exception {
		rules().put(EdgeRuleJson.read(CANARY));
		this.client.create().forPath(this.paths.edgeRulePath("broken"), "{\"id\":".getBytes(StandardCharsets.UTF_8));

		assertThat(cli("rule", "list", "--no-headers")).isZero();

		assertThat(this.out.lines()).singleElement().asString().startsWith("canary-users ");
		assertThat(this.err).startsWith("warning: node 'broken' holds no valid rule (json ");
		assertThat(this.err.lines()).hasSize(1);

		assertThat(cli("rule", "show", "broken")).isEqualTo(IsolationCli.EXIT_FAILURE);
		assertThat(this.err).startsWith("error: rule 'broken' holds no valid rule: json ");
		assertThat(cli("rule", "delete", "broken")).isZero();
		assertThat(this.client.checkExists().forPath(this.paths.edgeRulePath("broken"))).isNull();
	}

	@Test
	void shouldDisableAndEnableARule() {
		rules().put(EdgeRuleJson.read(MOBILE_BETA));

		assertThat(cli("rule", "disable", "mobile-beta")).isZero();
		assertThat(this.out).isEqualTo("disabled rule mobile-beta\n");
		assertThat(rules().get("mobile-beta").orElseThrow().enabled()).isFalse();
		assertThat(cli("rule", "test", "--header", "X-Beta=1", "--no-headers")).isZero();
		assertThat(this.out).isEqualTo("-  none  -\n");

		assertThat(cli("rule", "enable", "mobile-beta")).isZero();
		assertThat(this.out).isEqualTo("enabled rule mobile-beta\n");
		assertThat(rules().get("mobile-beta").orElseThrow()).isEqualTo(EdgeRuleJson.read(MOBILE_BETA));
		assertThat(cli("rule", "test", "--header", "X-Beta=1", "--no-headers")).isZero();
		assertThat(this.out).isEqualTo("feature-y  rule  mobile-beta\n");
	}

	@Test
	void shouldDeleteARule() throws Exception {
		rules().put(EdgeRuleJson.read(MOBILE_BETA));

		assertThat(cli("rule", "delete", "mobile-beta")).isZero();

		assertThat(this.out).isEqualTo("deleted rule mobile-beta\n");
		assertThat(this.client.checkExists().forPath(this.paths.edgeRulePath("mobile-beta"))).isNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			rule show nope
			rule enable nope
			rule disable nope
			rule delete nope
			""")
	void shouldFailWithOneLineForARuleThatIsNotThere(String commandLine) {
		assertThat(cli(commandLine.split(" "))).isEqualTo(IsolationCli.EXIT_FAILURE);

		assertThat(this.out).isEmpty();
		assertThat(this.err).isEqualTo("error: no rule 'nope'; see 'isolation rule list'\n");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			rule show Bad!                    | error: id must be 1 to 63 characters
			rule delete                       | error: rule delete needs ID, but ID is missing
			rule                              | error: rule needs a subcommand: put, list, show, enable, disable, delete or test
			rule rename a b                   | error: unknown command 'rule rename'
			rule test --source localhost      | error: source address must be an IPv4 or IPv6 address
			rule test --header novalue        | error: Value for option option '--header' (NAME=VALUE) should be in KEY=VALUE format
			rule list --output yaml           | error: Invalid value for option '--output'
			""")
	void shouldRejectBadInputWithOneLineAndExitCodeTwo(String commandLine, String expectedError) {
		assertThat(cli(commandLine.split(" "))).isEqualTo(IsolationCli.EXIT_USAGE);

		assertThat(this.out).isEmpty();
		assertThat(this.err).startsWith(expectedError);
		assertThat(this.err.lines()).hasSize(1);
	}

	@Test
	void shouldTellWhichRuleAndGroupARequestWouldGetThroughTheEdgesEvaluator() {
		rules().put(EdgeRuleJson.read(CANARY));
		rules().put(EdgeRuleJson.read(MOBILE_BETA));
		rules().put(EdgeRuleJson.read("""
				{ "id": "office-posts", "group": "hotfix-7", "priority": 1,
				  "match": { "all": [ { "source": "path", "op": "prefix", "value": "/api/" },
				                      { "source": "method", "op": "exact", "value": "POST" },
				                      { "source": "source-cidr", "op": "cidr", "values": ["10.8.0.0/16"] },
				                      { "source": "query", "name": "tenant", "op": "exact", "value": "acme" },
				                      { "source": "cookie", "name": "team", "op": "regex", "value": "pay.*" } ] } }
				"""));

		assertThat(cli("rule", "test", "--header", "x-beta=yes", "--header", "x-app=ios")).isZero();
		assertThat(this.out).isEqualTo("""
				GROUP      BY    RULE
				feature-y  rule  mobile-beta
				""");

		assertThat(cli("rule", "test", "--path", "/api/orders", "--method", "post", "--source", "10.8.1.2", "--query",
				"tenant=acme", "--cookie", "team=payments", "--output", "json")).isZero();
		assertThat(this.out).isEqualTo("[{\"group\":\"hotfix-7\",\"by\":\"rule\",\"rule\":\"office-posts\"}]\n");
		assertThat(cli("rule", "test", "--path", "/api/orders", "--method", "post", "--source", "10.9.1.2", "--query",
				"tenant=acme", "--cookie", "team=payments", "--output", "json")).isZero();
		assertThat(this.out).isEqualTo("[{\"group\":null,\"by\":\"none\",\"rule\":null}]\n");
		assertThat(this.err).isEqualTo(
				"note: no rule applies: the edge leaves the request untagged, so it is routed as stable\n");

		// The sticky split: the same users in and out as the edge's hash puts them.
		int coloured = 0;
		for (int user = 0; user < 40; user++) {
			String id = "user-" + user;
			assertThat(cli("rule", "test", "--header", "X-App=android", "--header", "X-User-Id=" + id, "--no-headers"))
				.isZero();
			boolean inShare = StickySplit.bucket("canary-users", id) < 5000;
			assertThat(this.out).as(id).isEqualTo(inShare ? "feature-x  rule  canary-users\n" : "-  none  -\n");
			coloured += inShare ? 1 : 0;
		}
		assertThat(coloured).as("users in a 50%% share of 40").isBetween(8, 32);
	}

	@Test
	void shouldPutASourceBindingBeforeTheRulesAsTheEdgeDoes() {
		rules().put(EdgeRuleJson.read(MOBILE_BETA));
		new BindingStore(this.client, this.paths, null).bindSource("10.1.2.3", IsolationGroup.of("feature-z"));

		assertThat(cli("rule", "test", "--source", "10.1.2.3", "--header", "x-beta=1", "--header", "isolation-group=x",
				"-o", "json")).isZero();

		assertThat(this.out).isEqualTo("[{\"group\":\"feature-z\",\"by\":\"source-binding\",\"rule\":null}]\n");
		assertThat(this.err.lines()).containsExactly(
				"note: source 10.1.2.3 is bound to feature-z, which the edge applies before any rule; without that "
						+ "binding, rule mobile-beta would give feature-y",
				"note: the request carries an explicit isolation-group tag; an edge that accepts tags from this caller "
						+ "uses it before any source binding or rule");
	}

	@Test
	void shouldDescribeEachRuleCommand() {
		assertThat(cli("help", "rule")).isZero();
		assertThat(this.out).startsWith("Usage: isolation rule")
			.contains("put", "list", "show", "enable", "disable", "delete", "test");
		assertThat(cli("rule", "test", "--help")).isZero();
		assertThat(this.out).startsWith("Usage: isolation rule test")
			.contains("--header=NAME=VALUE", "--cookie=NAME=VALUE", "--query=NAME=VALUE", "--path=PATH",
					"--method=METHOD", "--source=IP");
	}

	private EdgeRuleStore rules() {
		return new EdgeRuleStore(this.client, this.paths, null);
	}

	private int cli(String... command) {
		return run(null, args(command));
	}

	private int cliWithInput(String input, String... command) {
		return run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), args(command));
	}

	private String[] args(String... command) {
		List<String> args = new ArrayList<>(List.of("--connect", server.getConnectString(), "--root", this.paths.root()));
		args.addAll(List.of(command));
		return args.toArray(String[]::new);
	}

	private int run(InputStream in, String... args) {
		ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
		ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
		int exitCode = IsolationCli.run(args, (in != null) ? in : InputStream.nullInputStream(),
				new PrintStream(outBytes, true, StandardCharsets.UTF_8),
				new PrintStream(errBytes, true, StandardCharsets.UTF_8), Map.of());
		this.out = outBytes.toString(StandardCharsets.UTF_8);
		this.err = errBytes.toString(StandardCharsets.UTF_8);
		return exitCode;
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("127.0.0.1", 0));
			return socket.getLocalPort();
		}
	}

}
