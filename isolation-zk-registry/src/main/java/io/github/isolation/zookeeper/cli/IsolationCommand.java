package io.github.isolation.zookeeper.cli;

import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.DigestCredentials;

/**
 * The {@code isolation} command: the options every command shares (where ZooKeeper is, the
 * root, credentials, the timeout, how listings look) and the ZooKeeper connection they use.
 * The shared options may be given before or after the command's name.
 */
@Command(name = "isolation", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		description = "Binds service instances and request sources to isolation groups, manages edge rules "
				+ "and lists Kafka lanes, in ZooKeeper.",
		subcommands = { HelpCommand.class, BindCommand.class, UnbindCommand.class, ListCommand.class,
				GroupsCommand.class, PruneCommand.class, SourceCommand.class, RuleCommand.class, LanesCommand.class,
				AutoComplete.GenerateCompletion.class },
		footer = { "", "HOST:PORT is an IPv4 address, a host name or an IPv6 address in brackets ([fd00::7]:8080).",
				"GROUP is 1 to 63 characters of [a-z0-9._-] starting with a letter or digit.",
				"Exit codes: 0 success, 1 failure, 2 usage error." })
final class IsolationCommand implements Runnable {

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	@Spec
	private CommandSpec spec;

	@Option(names = "--connect", paramLabel = "CONNECT_STRING", scope = ScopeType.INHERIT,
			converter = Converters.ConnectString.class, defaultValue = "localhost:2181",
			description = "ZooKeeper to use (default: ${DEFAULT-VALUE})")
	private String connect;

	@Option(names = "--root", paramLabel = "PATH", scope = ScopeType.INHERIT, converter = Converters.Root.class,
			description = "root of the bindings (default: /isolation)")
	private BindingPaths paths;

	@Option(names = "--auth", paramLabel = "USER:PASSWORD", scope = ScopeType.INHERIT,
			converter = Converters.Auth.class,
			description = "digest credentials: nodes written get an ACL that lets only this user change them "
					+ "(default: $" + IsolationCli.AUTH_ENVIRONMENT_VARIABLE + ")")
	private DigestCredentials credentials;

	@Option(names = "--timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT,
			converter = Converters.Timeout.class,
			description = "how long to wait for ZooKeeper, such as 5s or 500ms (default: 5s)")
	private Duration timeout;

	@Option(names = "--no-headers", scope = ScopeType.INHERIT, description = "leave out the header line of listings")
	private boolean noHeaders;

	@Option(names = "--verbose", scope = ScopeType.INHERIT,
			description = "show the ZooKeeper client's warnings and a failure's stack trace on stderr")
	private boolean verbose;

	private final Map<String, String> environment;

	private final InputStream in;

	IsolationCommand(Map<String, String> environment, InputStream in) {
		this.environment = environment;
		this.in = in;
	}

	/** Standard input, where {@code rule put -} reads. */
	InputStream in() {
		return this.in;
	}

	@Override
	public void run() {
		throw new ParameterException(this.spec.commandLine(), "no command given");
	}

	boolean headers() {
		return !this.noHeaders;
	}

	boolean verbose() {
		return this.verbose;
	}

	BindingPaths paths() {
		return (this.paths != null) ? this.paths : BindingPaths.defaults();
	}

	/** The credentials of {@code --auth}, else of the environment variable, else none. */
	DigestCredentials credentials(CommandSpec command) {
		if (this.credentials != null) {
			return this.credentials;
		}
		String auth = this.environment.get(IsolationCli.AUTH_ENVIRONMENT_VARIABLE);
		if (auth == null || auth.isEmpty()) {
			return null;
		}
		try {
			return DigestCredentials.parse(auth);
		}
		catch (IllegalArgumentException ex) {
			throw new ParameterException(command.commandLine(),
					IsolationCli.AUTH_ENVIRONMENT_VARIABLE + ": " + ex.getMessage(), ex, null, null);
		}
	}

	/**
	 * Connects to ZooKeeper, runs the action and closes the connection.
	 * @param command the command running, for its error stream
	 * @param action what to do with the connected client
	 * @return the action's exit code, or {@link IsolationCli#EXIT_FAILURE} if ZooKeeper could not
	 * be reached in time
	 */
	int withClient(CommandSpec command, ClientAction action) throws Exception {
		DigestCredentials credentials = credentials(command);
		Duration timeout = (this.timeout != null) ? this.timeout : DEFAULT_TIMEOUT;
		int timeoutMs = (int) timeout.toMillis();
		CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
			.connectString(this.connect)
			.connectionTimeoutMs(timeoutMs)
			.sessionTimeoutMs(Math.max(3 * timeoutMs, 10_000))
			// One quick retry: a tool must fail fast rather than wait out a long backoff.
			.retryPolicy(new RetryNTimes(1, 200))
			.maxCloseWaitMs(500);
		if (credentials != null) {
			credentials.authorize(builder).aclProvider(credentials.aclProvider(paths()));
		}
		try (CuratorFramework client = builder.build()) {
			client.start();
			if (!client.blockUntilConnected(timeoutMs, TimeUnit.MILLISECONDS)) {
				command.commandLine()
					.getErr()
					.println("error: cannot connect to ZooKeeper at " + this.connect + " within "
							+ Converters.Timeout.format(timeout) + "; check --connect");
				return IsolationCli.EXIT_FAILURE;
			}
			return action.run(client, credentials);
		}
	}

	/** What a command does once connected. */
	@FunctionalInterface
	interface ClientAction {

		int run(CuratorFramework client, DigestCredentials credentials) throws Exception;

	}

}
