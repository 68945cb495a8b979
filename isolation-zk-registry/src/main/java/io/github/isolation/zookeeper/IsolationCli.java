package io.github.isolation.zookeeper;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.LogSafe;

/**
 * The command-line tool for bindings: bind and unbind instances and source addresses, list
 * them, and tear a group down. Run {@code java -jar isolation-zk-registry-VERSION-cli.jar help}
 * for the usage ({@link #USAGE}).
 *
 * <p>Output goes to standard output in plain, aligned columns with one header line
 * ({@code --no-headers} drops it). A failure prints one line starting with {@code error: } on
 * standard error and exits with {@value #EXIT_FAILURE} (ZooKeeper unreachable, access denied,
 * nothing to remove) or {@value #EXIT_USAGE} (unknown command, missing or malformed
 * arguments); nothing is written to ZooKeeper on a usage error.
 *
 * @since 0.1.0
 */
public final class IsolationCli {

	/** The exit code of success. */
	public static final int EXIT_OK = 0;

	/** The exit code of a failure to do what was asked. */
	public static final int EXIT_FAILURE = 1;

	/** The exit code of a malformed command line. */
	public static final int EXIT_USAGE = 2;

	/** The environment variable read for {@code --auth} when the option is absent. */
	public static final String AUTH_ENVIRONMENT_VARIABLE = "ISOLATION_ZK_AUTH";

	/** The usage text. */
	public static final String USAGE = """
			Usage: isolation [OPTIONS] COMMAND [ARGUMENTS]

			Commands:
			  bind SERVICE HOST:PORT GROUP    bind an instance to a group (persistent)
			  unbind SERVICE HOST:PORT        remove an instance's persistent binding
			  list [--service S] [--group G]  list instance bindings
			  groups                          list the groups with their instance counts
			  prune GROUP                     remove every persistent binding to a group
			  source bind IP GROUP            bind requests from an IP address to a group
			  source unbind IP                remove a source binding
			  source list [--group G]         list source bindings
			  help                            show this help

			Options:
			  --connect CONNECT_STRING  ZooKeeper to use (default localhost:2181)
			  --root PATH               root of the bindings (default /isolation)
			  --auth USER:PASSWORD      digest credentials: bindings written get an ACL that lets
			                            only this user change them (default: $ISOLATION_ZK_AUTH)
			  --timeout DURATION        how long to wait for ZooKeeper, such as 5s or 500ms
			                            (default 5s)
			  --no-headers              leave out the header line of listings
			  --verbose                 show the ZooKeeper client's warnings on stderr
			  -h, --help                show this help

			HOST:PORT is an IPv4 address, a host name or an IPv6 address in brackets
			([fd00::7]:8080). GROUP is 1 to 63 characters of [a-z0-9._-] starting with a letter
			or digit. Exit codes: 0 success, 1 failure, 2 usage error.
			""";

	private static final String DEFAULT_CONNECT = "localhost:2181";

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

	private IsolationCli() {
	}

	/**
	 * Runs the tool and exits with its exit code.
	 * @param args the command line
	 */
	public static void main(String[] args) {
		boolean verbose = List.of(args).contains("--verbose");
		// Set before any logger exists; these only matter to slf4j-simple, which the cli jar
		// bundles: the ZooKeeper client's connection chatter must not reach a script's output.
		setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "warn" : "off");
		setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
		System.exit(run(args, System.out, System.err));
	}

	/**
	 * Runs the tool.
	 * @param args the command line
	 * @param out where results go
	 * @param err where the one-line error goes
	 * @return the exit code: {@value #EXIT_OK}, {@value #EXIT_FAILURE} or {@value #EXIT_USAGE}
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		return run(args, out, err, System.getenv());
	}

	static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
		Invocation invocation;
		try {
			invocation = Invocation.parse(args, environment);
		}
		catch (UsageException | IllegalArgumentException ex) {
			err.println("error: " + oneLine(ex.getMessage()) + " (see 'isolation help')");
			return EXIT_USAGE;
		}
		if (invocation.command().equals("help")) {
			out.print(USAGE);
			return EXIT_OK;
		}
		try {
			return invocation.execute(out, err);
		}
		catch (BindingStoreException | IllegalStateException ex) {
			err.println("error: " + oneLine(ex.getMessage()));
			return EXIT_FAILURE;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			err.println("error: interrupted");
			return EXIT_FAILURE;
		}
		catch (RuntimeException | Error ex) {
			// Whatever went wrong, a script gets one line; --verbose shows the rest.
			err.println("error: " + oneLine(ex.getClass().getSimpleName() + ": " + ex.getMessage()));
			if (invocation.verbose()) {
				ex.printStackTrace(err);
			}
			return EXIT_FAILURE;
		}
	}

	private static void setIfAbsent(String property, String value) {
		if (System.getProperty(property) == null) {
			System.setProperty(property, value);
		}
	}

	private static String oneLine(String message) {
		return (message != null) ? message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip() : "unknown failure";
	}

	/** A command line that is well-formed: nothing invalid reaches ZooKeeper. */
	private record Invocation(String command, List<String> arguments, String connect, BindingPaths paths,
			DigestCredentials credentials, Duration timeout, String serviceFilter, IsolationGroup groupFilter,
			boolean headers, boolean verbose) {

		private static final Map<String, String> OPTIONS_WITH_VALUES = Map.of("--connect", "CONNECT_STRING",
				"--root", "PATH", "--auth", "USER:PASSWORD", "--timeout", "DURATION", "--service", "SERVICE",
				"--group", "GROUP");

		static Invocation parse(String[] args, Map<String, String> environment) throws UsageException {
			Map<String, String> options = new LinkedHashMap<>();
			List<String> positional = new ArrayList<>();
			boolean headers = true;
			boolean verbose = false;
			boolean help = false;
			for (int i = 0; i < args.length; i++) {
				String arg = args[i];
				if (arg.equals("-h") || arg.equals("--help")) {
					help = true;
				}
				else if (arg.equals("--no-headers")) {
					headers = false;
				}
				else if (arg.equals("--verbose")) {
					verbose = true;
				}
				else if (arg.startsWith("--")) {
					int equals = arg.indexOf('=');
					String name = (equals > 0) ? arg.substring(0, equals) : arg;
					if (!OPTIONS_WITH_VALUES.containsKey(name)) {
						throw new UsageException("unknown option " + LogSafe.quote(name));
					}
					String value;
					if (equals > 0) {
						value = arg.substring(equals + 1);
					}
					else if (i + 1 < args.length) {
						value = args[++i];
					}
					else {
						throw new UsageException(name + " needs a value: " + name + " " + OPTIONS_WITH_VALUES.get(name));
					}
					options.put(name, value);
				}
				else if (arg.startsWith("-") && arg.length() > 1) {
					throw new UsageException("unknown option " + LogSafe.quote(arg));
				}
				else {
					positional.add(arg);
				}
			}
			String command;
			List<String> arguments;
			if (help || positional.isEmpty()) {
				if (!help) {
					throw new UsageException("no command given");
				}
				command = "help";
				arguments = List.of();
			}
			else if (positional.get(0).equals("source")) {
				if (positional.size() < 2) {
					throw new UsageException("source needs a subcommand: bind, unbind or list");
				}
				command = "source " + positional.get(1);
				arguments = positional.subList(2, positional.size());
			}
			else {
				command = positional.get(0);
				arguments = positional.subList(1, positional.size());
			}
			checkArguments(command, arguments, options);

			DigestCredentials credentials = null;
			String auth = options.getOrDefault("--auth", environment.get(AUTH_ENVIRONMENT_VARIABLE));
			if (auth != null && !auth.isEmpty()) {
				credentials = DigestCredentials.parse(auth);
			}
			String connect = options.getOrDefault("--connect", DEFAULT_CONNECT);
			if (connect.isBlank()) {
				throw new UsageException("--connect must name at least one HOST:PORT, but was empty");
			}
			BindingPaths paths = BindingPaths.of(options.getOrDefault("--root", BindingPaths.DEFAULT_ROOT));
			Duration timeout = options.containsKey("--timeout") ? parseTimeout(options.get("--timeout"))
					: DEFAULT_TIMEOUT;
			String service = options.containsKey("--service") ? BindingNames.checkServiceId(options.get("--service"))
					: null;
			IsolationGroup group = options.containsKey("--group") ? IsolationGroup.of(options.get("--group")) : null;
			return new Invocation(command, List.copyOf(arguments), connect, paths, credentials, timeout, service,
					group, headers, verbose);
		}

		private static void checkArguments(String command, List<String> arguments, Map<String, String> options)
				throws UsageException {
			List<String> names = switch (command) {
				case "help", "list", "groups", "source list" -> List.of();
				case "bind" -> List.of("SERVICE", "HOST:PORT", "GROUP");
				case "unbind" -> List.of("SERVICE", "HOST:PORT");
				case "prune" -> List.of("GROUP");
				case "source bind" -> List.of("IP", "GROUP");
				case "source unbind" -> List.of("IP");
				default -> throw new UsageException("unknown command " + LogSafe.quote(command));
			};
			if (arguments.size() < names.size()) {
				throw new UsageException(command + " needs " + String.join(" ", names) + ", but "
						+ names.get(arguments.size()) + " is missing");
			}
			if (arguments.size() > names.size()) {
				throw new UsageException("unexpected argument " + LogSafe.quote(arguments.get(names.size())) + " for "
						+ command);
			}
			if (options.containsKey("--service") && !command.equals("list")) {
				throw new UsageException("--service applies to list only");
			}
			if (options.containsKey("--group") && !command.equals("list") && !command.equals("source list")) {
				throw new UsageException("--group applies to list and source list only");
			}
			// Validate every argument now, so that a typo never costs a connection attempt.
			for (int i = 0; i < names.size(); i++) {
				String value = arguments.get(i);
				switch (names.get(i)) {
					case "SERVICE" -> BindingNames.checkServiceId(value);
					case "HOST:PORT" -> InstanceAddress.parse(value);
					case "GROUP" -> IsolationGroup.of(value);
					case "IP" -> BindingNames.checkSourceAddress(value);
					default -> throw new IllegalStateException(names.get(i));
				}
			}
		}

		private static Duration parseTimeout(String value) throws UsageException {
			String text = value.strip().toLowerCase(Locale.ROOT);
			long millis = -1;
			try {
				if (text.endsWith("ms")) {
					millis = Long.parseLong(text.substring(0, text.length() - 2));
				}
				else if (text.endsWith("s")) {
					millis = Long.parseLong(text.substring(0, text.length() - 1)) * 1000;
				}
				else {
					millis = Long.parseLong(text) * 1000;
				}
			}
			catch (NumberFormatException ex) {
				millis = -1;
			}
			if (millis <= 0 || millis > MAX_TIMEOUT.toMillis()) {
				throw new UsageException("--timeout must be a duration of 1ms to 10m such as 5s or 500ms, but was "
						+ LogSafe.quote(value));
			}
			return Duration.ofMillis(millis);
		}

		int execute(PrintStream out, PrintStream err) throws InterruptedException {
			int timeoutMs = (int) this.timeout.toMillis();
			CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
				.connectString(this.connect)
				.connectionTimeoutMs(timeoutMs)
				.sessionTimeoutMs(Math.max(3 * timeoutMs, 10_000))
				// One quick retry: a tool must fail fast rather than wait out a long backoff.
				.retryPolicy(new RetryNTimes(1, 200))
				.maxCloseWaitMs(500);
			if (this.credentials != null) {
				this.credentials.authorize(builder).aclProvider(this.credentials.aclProvider(this.paths));
			}
			try (CuratorFramework client = builder.build()) {
				client.start();
				if (!client.blockUntilConnected(timeoutMs, TimeUnit.MILLISECONDS)) {
					err.println("error: cannot connect to ZooKeeper at " + this.connect + " within "
							+ formatDuration(this.timeout) + "; check --connect");
					return EXIT_FAILURE;
				}
				BindingStore store = new BindingStore(client, this.paths, this.credentials);
				return execute(store, out, err);
			}
		}

		/** What a removed node held, for the confirmation line. */
		private static String wasBoundTo(Object removed) {
			if (removed instanceof InstanceBinding binding) {
				return " (was " + binding.group() + ")";
			}
			if (removed instanceof SourceBinding binding) {
				return " (was " + binding.group() + ")";
			}
			return " (removed a malformed node: " + ((BindingNodes.Skipped) removed).reason() + ")";
		}

		private int execute(BindingStore store, PrintStream out, PrintStream err) {
			List<String> args = this.arguments;
			switch (this.command) {
				case "bind" -> {
					String service = BindingNames.checkServiceId(args.get(0));
					InstanceAddress address = InstanceAddress.parse(args.get(1));
					IsolationGroup group = IsolationGroup.of(args.get(2));
					store.bind(service, address, group);
					out.println("bound " + service + " " + address + " to " + group);
				}
				case "unbind" -> {
					String service = BindingNames.checkServiceId(args.get(0));
					InstanceAddress address = InstanceAddress.parse(args.get(1));
					Object removed = store.remove(this.paths.instancePath(service, address)).orElse(null);
					if (removed == null) {
						err.println("error: " + service + " " + address + " has no binding");
						return EXIT_FAILURE;
					}
					out.println("unbound " + service + " " + address + wasBoundTo(removed));
				}
				case "list" -> {
					List<List<String>> rows = new ArrayList<>();
					for (InstanceBinding binding : store.instanceBindings()) {
						if ((this.serviceFilter == null || this.serviceFilter.equals(binding.serviceId()))
								&& (this.groupFilter == null || this.groupFilter.equals(binding.group()))) {
							rows.add(List.of(binding.serviceId(), binding.address().toString(), binding.group().name(),
									binding.ephemeral() ? "ephemeral" : "persistent"));
						}
					}
					printTable(out, List.of("SERVICE", "ADDRESS", "GROUP", "KIND"), rows);
				}
				case "groups" -> {
					Map<String, int[]> counts = new TreeMap<>();
					for (InstanceBinding binding : store.instanceBindings()) {
						counts.computeIfAbsent(binding.group().name(), (name) -> new int[2])[0]++;
					}
					for (SourceBinding binding : store.sourceBindings()) {
						counts.computeIfAbsent(binding.group().name(), (name) -> new int[2])[1]++;
					}
					List<List<String>> rows = new ArrayList<>();
					counts.forEach((group, count) -> rows
						.add(List.of(group, Integer.toString(count[0]), Integer.toString(count[1]))));
					printTable(out, List.of("GROUP", "INSTANCES", "SOURCES"), rows);
				}
				case "prune" -> {
					IsolationGroup group = IsolationGroup.of(args.get(0));
					BindingStore.PruneResult result = store.prune(group);
					for (InstanceBinding binding : result.removedInstances()) {
						out.println("removed " + binding.serviceId() + " " + binding.address());
					}
					for (SourceBinding binding : result.removedSources()) {
						out.println("removed source " + binding.address());
					}
					for (InstanceBinding binding : result.keptEphemeral()) {
						out.println("kept " + binding.serviceId() + " " + binding.address()
								+ " (the instance's own binding; it goes when the instance stops)");
					}
					out.println("pruned " + group + ": removed " + result.removedInstances().size()
							+ " instance and " + result.removedSources().size() + " source bindings, kept "
							+ result.keptEphemeral().size() + " ephemeral");
				}
				case "source bind" -> {
					String address = BindingNames.checkSourceAddress(args.get(0));
					IsolationGroup group = IsolationGroup.of(args.get(1));
					store.bindSource(address, group);
					out.println("bound source " + address + " to " + group);
				}
				case "source unbind" -> {
					String address = BindingNames.checkSourceAddress(args.get(0));
					Object removed = store.remove(this.paths.sourcePath(address)).orElse(null);
					if (removed == null) {
						err.println("error: source " + address + " has no binding");
						return EXIT_FAILURE;
					}
					out.println("unbound source " + address + wasBoundTo(removed));
				}
				case "source list" -> {
					List<List<String>> rows = new ArrayList<>();
					for (SourceBinding binding : store.sourceBindings()) {
						if (this.groupFilter == null || this.groupFilter.equals(binding.group())) {
							rows.add(List.of(binding.address(), binding.group().name()));
						}
					}
					printTable(out, List.of("ADDRESS", "GROUP"), rows);
				}
				default -> throw new IllegalStateException("unknown command " + this.command);
			}
			return EXIT_OK;
		}

		private void printTable(PrintStream out, List<String> header, List<List<String>> rows) {
			int[] widths = new int[header.size()];
			List<List<String>> all = new ArrayList<>();
			if (this.headers) {
				all.add(header);
			}
			all.addAll(rows);
			for (List<String> row : all) {
				for (int i = 0; i < row.size(); i++) {
					widths[i] = Math.max(widths[i], row.get(i).length());
				}
			}
			for (List<String> row : all) {
				StringBuilder line = new StringBuilder();
				for (int i = 0; i < row.size(); i++) {
					line.append(row.get(i));
					if (i < row.size() - 1) {
						line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
					}
				}
				out.println(line);
			}
		}

		private static String formatDuration(Duration duration) {
			long millis = duration.toMillis();
			return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
		}

	}

	/** A malformed command line. */
	private static final class UsageException extends Exception {

		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}

	}

}
