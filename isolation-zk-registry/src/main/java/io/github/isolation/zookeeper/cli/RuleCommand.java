package io.github.isolation.zookeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code isolation rule ...}: the edge rules that colour untagged requests (docs/edge.md). */
@Command(name = "rule", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		description = "Manage the edge rules that colour requests without an accepted tag.",
		subcommands = { RulePutCommand.class, RuleListCommand.class, RuleShowCommand.class, RuleEnableCommand.class,
				RuleDisableCommand.class, RuleDeleteCommand.class, RuleTestCommand.class })
final class RuleCommand implements Runnable {

	@Spec
	private CommandSpec spec;

	@Override
	public void run() {
		throw new ParameterException(this.spec.commandLine(),
				"rule needs a subcommand: put, list, show, enable, disable, delete or test");
	}

}
