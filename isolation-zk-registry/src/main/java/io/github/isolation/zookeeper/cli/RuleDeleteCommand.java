package io.github.isolation.zookeeper.cli;

import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import io.github.isolation.zookeeper.DigestCredentials;
import io.github.isolation.zookeeper.EdgeRuleStore;

/** {@code isolation rule delete ID}: removes a rule's node, valid or not. */
@Command(name = "delete", description = "Delete a rule (also a node that holds no valid rule).")
final class RuleDeleteCommand extends EdgeRuleCommand {

	@Parameters(index = "0", paramLabel = "ID", converter = Converters.RuleId.class, description = "the rule's id")
	private String id;

	@Override
	int run(EdgeRuleStore rules, CuratorFramework client, DigestCredentials credentials) {
		if (!rules.delete(this.id)) {
			return noSuchRule(this.id);
		}
		out().println("deleted rule " + this.id);
		return IsolationCli.EXIT_OK;
	}

}
