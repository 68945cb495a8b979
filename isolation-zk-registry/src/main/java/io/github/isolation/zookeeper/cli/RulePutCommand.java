package io.github.isolation.zookeeper.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import io.github.isolation.core.LogSafe;
import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.RuleValidationException;
import io.github.isolation.zookeeper.DigestCredentials;
import io.github.isolation.zookeeper.EdgeRuleJson;
import io.github.isolation.zookeeper.EdgeRuleStore;

/**
 * {@code isolation rule put FILE|-}: creates or replaces a rule from its JSON. The rule is read
 * and validated before anything connects: an invalid rule is refused with a usage error naming
 * the field, and nothing is written.
 */
@Command(name = "put", description = { "Create or replace an edge rule from its JSON (a file, or - for standard input).",
		"The rule is validated first: an invalid rule is refused, naming the field, and nothing is written." })
final class RulePutCommand extends EdgeRuleCommand {

	@Parameters(index = "0", paramLabel = "FILE|-", description = "the rule as JSON, or - to read it from standard input")
	private String file;

	private EdgeRule rule;

	@Override
	void prepare() {
		byte[] json;
		try (InputStream in = this.file.equals("-") ? root().in() : Files.newInputStream(Path.of(this.file))) {
			// One byte more than a rule may have, so that an oversized input is refused, not cut.
			json = in.readNBytes(EdgeRuleJson.MAX_BYTES + 1);
		}
		catch (IOException | RuntimeException ex) {
			throw new ParameterException(this.spec.commandLine(),
					"cannot read " + describe() + ": " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		try {
			this.rule = EdgeRuleJson.read(json);
		}
		catch (RuleValidationException ex) {
			// Without the cause: the tool prints a cause's message alone, and this one must say where.
			throw new ParameterException(this.spec.commandLine(),
					"invalid rule in " + describe() + ": " + ex.getMessage() + "; nothing was written");
		}
	}

	@Override
	int run(EdgeRuleStore rules, CuratorFramework client, DigestCredentials credentials) {
		rules.put(this.rule);
		out().println("put rule " + this.rule.id() + ": " + RuleListCommand.summary(this.rule));
		return IsolationCli.EXIT_OK;
	}

	private String describe() {
		return this.file.equals("-") ? "standard input" : LogSafe.quote(this.file);
	}

}
