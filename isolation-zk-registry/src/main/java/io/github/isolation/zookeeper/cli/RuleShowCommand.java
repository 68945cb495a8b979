package io.github.isolation.zookeeper.cli;

import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.RuleValidationException;
import io.github.isolation.zookeeper.DigestCredentials;
import io.github.isolation.zookeeper.EdgeRuleJson;
import io.github.isolation.zookeeper.EdgeRuleStore;

/** {@code isolation rule show ID}: a rule as the JSON its node holds, ready to edit and put back. */
@Command(name = "show", description = "Print a rule as JSON (edit it and 'rule put' it back).")
final class RuleShowCommand extends EdgeRuleCommand {

	@Parameters(index = "0", paramLabel = "ID", converter = Converters.RuleId.class, description = "the rule's id")
	private String id;

	@Override
	int run(EdgeRuleStore rules, CuratorFramework client, DigestCredentials credentials) {
		EdgeRule rule;
		try {
			rule = rules.get(this.id).orElse(null);
		}
		catch (RuleValidationException ex) {
			return fail("rule '" + this.id + "' holds no valid rule: " + ex.getMessage());
		}
		if (rule == null) {
			return noSuchRule(this.id);
		}
		out().print(EdgeRuleJson.write(rule));
		out().flush();
		return IsolationCli.EXIT_OK;
	}

}
