package io.github.isolation.zookeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code isolation source ...}: the bindings of request source addresses to groups. */
@Command(name = "source", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		description = "Bind requests from a source IP address to a group (used by the edge).",
		subcommands = { SourceBindCommand.class, SourceUnbindCommand.class, SourceListCommand.class })
final class SourceCommand implements Runnable {

	@Spec
	private CommandSpec spec;

	@Override
	public void run() {
		throw new ParameterException(this.spec.commandLine(), "source needs a subcommand: bind, unbind or list");
	}

}
