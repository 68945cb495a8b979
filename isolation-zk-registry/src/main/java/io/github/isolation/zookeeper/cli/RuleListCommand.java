package io.github.isolation.zookeeper.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import io.github.isolation.core.LogSafe;
import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.EdgeRuleFields;
import io.github.isolation.core.rules.StickySplit;
import io.github.isolation.zookeeper.DigestCredentials;
import io.github.isolation.zookeeper.EdgeRuleStore;

/**
 * {@code isolation rule list}: every valid rule in the order the edge tries them, enabled or
 * not. A node that holds no valid rule is reported on standard error, so that JSON output
 * stays parseable.
 */
@Command(name = "list", description = "List the edge rules in the order the edge tries them.")
final class RuleListCommand extends EdgeRuleCommand {

	@Mixin
	private OutputOption output;

	@Override
	int run(EdgeRuleStore rules, CuratorFramework client, DigestCredentials credentials) {
		List<EdgeRule> all = rules.list();
		if (this.output.format == OutputFormat.JSON) {
			// The whole rule, in the same fields as its node, so that a script can put it back.
			List<Object> objects = new ArrayList<>();
			for (EdgeRule rule : all) {
				objects.add(EdgeRuleFields.toFields(rule));
			}
			out().println(JsonWriter.write(objects));
		}
		else {
			Listing listing = new Listing("ID", "GROUP", "PRIORITY", "ENABLED", "MATCH", "SPLIT");
			for (EdgeRule rule : all) {
				listing.row(rule.id(), rule.group().name(), rule.priority(), rule.enabled() ? "yes" : "no",
						match(rule), split(rule));
			}
			listing.print(out(), this.output.format, root().headers());
		}
		for (Map.Entry<String, String> invalid : rules.invalid().entrySet()) {
			this.spec.commandLine()
				.getErr()
				.println("warning: node " + LogSafe.quote(invalid.getKey()) + " holds no valid rule ("
						+ IsolationCli.oneLine(invalid.getValue()) + "); edges keep the last valid version they read "
						+ "of it, if any. Fix it with 'isolation rule put' or remove it with 'isolation rule delete'");
		}
		out().flush();
		return IsolationCli.EXIT_OK;
	}

	/** A rule on one line, for confirmations. */
	static String summary(EdgeRule rule) {
		return "group " + rule.group() + ", priority " + rule.priority() + ", "
				+ (rule.enabled() ? "enabled" : "disabled") + ", " + match(rule) + ", " + split(rule);
	}

	static String match(EdgeRule rule) {
		if (rule.match() == null) {
			return "every request";
		}
		String joint = (rule.match().mode().wireName().equals("all")) ? " and " : " or ";
		return rule.match().conditions().stream().map(Object::toString).collect(Collectors.joining(joint));
	}

	static String split(EdgeRule rule) {
		StickySplit split = rule.split();
		if (split == null) {
			return "all";
		}
		return String.format(Locale.ROOT, "%.2f%% of %s", split.percent(), split.key())
				+ (split.salt().equals(rule.id()) ? "" : " salt " + split.salt());
	}

}
