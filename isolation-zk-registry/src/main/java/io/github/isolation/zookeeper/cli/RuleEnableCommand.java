package io.github.isolation.zookeeper.cli;

import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import io.github.isolation.zookeeper.DigestCredentials;
import io.github.isolation.zookeeper.EdgeRuleStore;

/** {@code isolation rule enable ID}: the edge tries the rule again. */
@Command(name = "enable", description = "Enable a rule: the edge tries it again.")
final class RuleEnableCommand extends EdgeRuleCommand {

	@Parameters(index = "0", paramLabel = "ID", converter = Converters.RuleId.class, description = "the rule's id")
	private String id;

	@Override
	int run(EdgeRuleStore rules, CuratorFramework client, DigestCredentials credentials) {
		return setEnabled(this, rules, this.id, true);
	}

	static int setEnabled(EdgeRuleCommand command, EdgeRuleStore rules, String id, boolean enabled) {
		if (rules.setEnabled(id, enabled).isEmpty()) {
			return command.noSuchRule(id);
		}
		command.out().println((enabled ? "enabled" : "disabled") + " rule " + id);
		return IsolationCli.EXIT_OK;
	}

}
