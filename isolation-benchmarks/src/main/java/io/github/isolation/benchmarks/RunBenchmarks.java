package io.github.isolation.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH with the options given, as {@code java -jar benchmarks.jar} would, then prints the
 * results as the tables of docs/performance.md ({@link JmhTables}), so that one command both
 * measures and reports. The JSON results are kept in {@code isolation-jmh-result.json} in the
 * temporary directory unless {@code -rff} names another file.
 */
public final class RunBenchmarks {

	private RunBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		CommandLineOptions command = new CommandLineOptions(args);
		String file = command.getResult()
			.orElse(Path.of(System.getProperty("java.io.tmpdir"), "isolation-jmh-result.json").toString());
		Options options = new OptionsBuilder().parent(command).resultFormat(ResultFormatType.JSON).result(file).build();
		new Runner(options).run();
		if (Files.exists(Path.of(file))) {
			System.out.println();
			JmhTables.main(new String[] { file });
		}
	}

}
