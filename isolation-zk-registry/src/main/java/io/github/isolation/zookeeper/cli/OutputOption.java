package io.github.isolation.zookeeper.cli;

import picocli.CommandLine.Option;

/** The {@code --output} option of every listing. */
final class OutputOption {

	@Option(names = { "-o", "--output" }, paramLabel = "FORMAT", defaultValue = "table",
			description = "table (aligned columns) or json (an array of objects) (default: ${DEFAULT-VALUE})")
	OutputFormat format;

}
