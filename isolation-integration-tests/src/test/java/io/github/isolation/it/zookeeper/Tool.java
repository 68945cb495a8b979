package io.github.isolation.it.zookeeper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.isolation.zookeeper.cli.IsolationCli;

import static org.assertj.core.api.Assertions.assertThat;

/** The command-line tool, run through its entry point against one ZooKeeper. */
final class Tool {

	private final String connectString;

	Tool(String connectString) {
		this.connectString = connectString;
	}

	/**
	 * Runs a command and asserts that it succeeded.
	 * @param command the command and its arguments
	 * @return what it printed
	 */
	String run(String... command) {
		List<String> args = new ArrayList<>(List.of("--connect", this.connectString));
		args.addAll(List.of(command));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = IsolationCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		assertThat(exit).as("exit code of %s, which printed %s", args, err.toString(StandardCharsets.UTF_8))
			.isZero();
		return out.toString(StandardCharsets.UTF_8);
	}

}
