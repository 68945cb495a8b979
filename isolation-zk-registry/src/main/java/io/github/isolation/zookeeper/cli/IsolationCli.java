package io.github.isolation.zookeeper.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

import io.github.isolation.core.LogSafe;
import io.github.isolation.core.rules.RuleValidationException;
import io.github.isolation.zookeeper.BindingStoreException;

/**
 * The entry point of the command-line tool {@code isolation}: bind and unbind instances and
 * source addresses, list them, tear a group down, and manage edge rules. Run
 * {@code java -jar isolation-zk-registry-VERSION-cli.jar help} for the commands, and
 * {@code isolation help COMMAND} (or {@code isolation COMMAND --help}) for one of them.
 *
 * <p>Listings go to standard output in plain, aligned columns with one header line
 * ({@code --no-headers} drops it), or as a JSON array with {@code --output json}. A failure
 * prints one line starting with {@code error: } on standard error and exits with
 * {@value #EXIT_FAILURE} (ZooKeeper unreachable, access denied, nothing to remove) or
 * {@value #EXIT_USAGE} (unknown command or option, missing or malformed arguments, an invalid
 * rule); nothing is written to ZooKeeper on a usage error.
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
		return run(args, System.in, out, err, System.getenv());
	}

	static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
		return run(args, System.in, out, err, environment);
	}

	static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
		PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
		PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
		try {
			return commandLine(environment, in, outWriter, errWriter).execute(args);
		}
		finally {
			outWriter.flush();
			errWriter.flush();
		}
	}

	/**
	 * The command line of the tool, with its error handling, writing to the given streams.
	 * @param environment where {@value #AUTH_ENVIRONMENT_VARIABLE} is read
	 * @param in where {@code rule put -} reads the rule
	 * @param out where results go
	 * @param err where the one-line error goes
	 * @return the command line, ready to execute
	 */
	static CommandLine commandLine(Map<String, String> environment, InputStream in, PrintWriter out,
			PrintWriter err) {
		CommandLine commandLine = new CommandLine(new IsolationCommand(environment, in));
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setCaseInsensitiveEnumValuesAllowed(true);
		commandLine.setParameterExceptionHandler(IsolationCli::handleUsageError);
		commandLine.setExecutionExceptionHandler((ex, failed, parseResult) -> handleFailure(ex, failed));
		// picocli hides its completion command; an operator should find it in the help.
		commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
		return commandLine;
	}

	private static int handleUsageError(ParameterException ex, String[] args) {
		CommandLine failed = ex.getCommandLine();
		String hint = (failed.getCommandSpec().parent() == null) ? "isolation help"
				: "isolation " + commandPath(failed.getCommandSpec()) + " --help";
		failed.getErr().println("error: " + oneLine(usageMessage(ex)) + " (see '" + hint + "')");
		return EXIT_USAGE;
	}

	/** Says what is wrong in the tool's own words, so that scripts see the same lines as before picocli. */
	private static String usageMessage(ParameterException ex) {
		CommandSpec spec = ex.getCommandLine().getCommandSpec();
		// picocli reports an unknown option only once the line is parsed, but a converter fails
		// at once: an option typed where an argument belongs is the mistake to name, not the
		// argument that then lands in the wrong place.
		for (String unmatched : ex.getCommandLine().getUnmatchedArguments()) {
			if (unmatched.startsWith("-") && unmatched.length() > 1) {
				return "unknown option " + LogSafe.quote(unmatched.split("=", 2)[0]);
			}
		}
		if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
			String argument = unmatched.getUnmatched().get(0);
			if (argument.startsWith("-") && argument.length() > 1) {
				return "unknown option " + LogSafe.quote(argument.split("=", 2)[0]);
			}
			if (!spec.subcommands().isEmpty()) {
				String path = commandPath(spec);
				return "unknown command " + LogSafe.quote(path.isEmpty() ? argument : path + " " + argument);
			}
			return "unexpected argument " + LogSafe.quote(argument) + " for " + commandPath(spec);
		}
		if (ex instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()) {
			ArgSpec first = missing.getMissing().get(0);
			if (first instanceof OptionSpec option) {
				return option.longestName() + " needs a value: " + option.longestName() + " " + option.paramLabel();
			}
			if (first instanceof PositionalParamSpec positional) {
				String names = spec.positionalParameters()
					.stream()
					.map(PositionalParamSpec::paramLabel)
					.collect(Collectors.joining(" "));
				return commandPath(spec) + " needs " + names + ", but " + positional.paramLabel() + " is missing";
			}
		}
		// A converter refused a value: its message names the field and the rule.
		Throwable cause = ex.getCause();
		if (cause instanceof IllegalArgumentException && !(cause instanceof CommandLine.TypeConversionException)
				&& cause.getMessage() != null) {
			return cause.getMessage();
		}
		return ex.getMessage();
	}

	private static int handleFailure(Exception ex, CommandLine failed) {
		PrintWriter err = failed.getErr();
		if (ex instanceof BindingStoreException || ex instanceof IllegalStateException) {
			err.println("error: " + oneLine(ex.getMessage()));
		}
		else if (ex instanceof RuleValidationException invalid) {
			// Only a node written behind the tool's back gets here: what the tool writes is valid.
			err.println("error: a rule in ZooKeeper is not valid: " + oneLine(invalid.getMessage()));
		}
		else if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
			err.println("error: interrupted");
		}
		else {
			// Whatever went wrong, a script gets one line; --verbose shows the rest.
			err.println("error: " + oneLine(ex.getClass().getSimpleName() + ": " + ex.getMessage()));
			if (((IsolationCommand) failed.getCommandSpec().root().userObject()).verbose()) {
				ex.printStackTrace(err);
			}
		}
		return EXIT_FAILURE;
	}

	/** The command's words after {@code isolation}, such as {@code source bind}. */
	static String commandPath(CommandSpec spec) {
		String qualified = spec.qualifiedName(" ");
		int space = qualified.indexOf(' ');
		return (space < 0) ? "" : qualified.substring(space + 1);
	}

	static String oneLine(String message) {
		return (message != null) ? message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip() : "unknown failure";
	}

	private static void setIfAbsent(String property, String value) {
		if (System.getProperty(property) == null) {
			System.setProperty(property, value);
		}
	}

}
