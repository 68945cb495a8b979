package io.github.isolation.zookeeper.cli;

import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import io.github.isolation.zookeeper.DigestCredentials;
import io.github.isolation.zookeeper.EdgeRuleStore;

/** {@code isolation rule disable ID}: the edge skips the rule, which stays in place. */
@Command(name = "disable", description = "Disable a rule: the edge skips it until it is enabled again.")
final class RuleDisableCommand extends EdgeRuleCommand {

	@Parameters(index = "0", paramLabel = "ID", converter = Converters.RuleId.class, description = "the rule's id")
	private String id;

	@Override
	int run(EdgeRuleStore rules, CuratorFramework client, DigestCredentials credentials) {
		return RuleEnableCommand.setEnabled(this, rules, this.id, false);
	}

}
