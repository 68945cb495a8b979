package io.github.isolation.zookeeper.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.EdgeRules;
import io.github.isolation.core.rules.FixedRuleRequest;
import io.github.isolation.core.rules.RuleRequest;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.DigestCredentials;
import io.github.isolation.zookeeper.EdgeRuleStore;
import io.github.isolation.zookeeper.SourceBinding;

/**
 * {@code isolation rule test ...}: which rule and group a request would get at the edge, from the
 * rules in ZooKeeper now and through {@link EdgeRules}, the evaluator every edge uses. With
 * {@code --source}, a source binding of that address comes first, as at the edge. An explicit
 * tag is not evaluated here: whether the edge accepts it depends on the edge's trust settings,
 * so a request that carries one gets a note instead.
 */
@Command(name = "test", description = { "Show which rule and group a request would get at the edge.",
		"Uses the rules in ZooKeeper now and the evaluator every edge uses; a source binding of --source comes first." })
final class RuleTestCommand extends EdgeRuleCommand {

	private static final String TAG = "isolation-group";

	@Option(names = "--header", paramLabel = "NAME=VALUE", description = "a request header (repeatable)")
	private Map<String, String> headers = new LinkedHashMap<>();

	@Option(names = "--cookie", paramLabel = "NAME=VALUE", description = "a cookie (repeatable)")
	private Map<String, String> cookies = new LinkedHashMap<>();

	@Option(names = "--query", paramLabel = "NAME=VALUE", description = "a query parameter, decoded (repeatable)")
	private Map<String, String> query = new LinkedHashMap<>();

	@Option(names = "--path", paramLabel = "PATH", defaultValue = "/",
			description = "the request path, without the query (default: ${DEFAULT-VALUE})")
	private String path;

	@Option(names = "--method", paramLabel = "METHOD", defaultValue = "GET",
			description = "the request method (default: ${DEFAULT-VALUE})")
	private String method;

	@Option(names = "--source", paramLabel = "IP", converter = Converters.SourceAddress.class,
			description = "the caller's address, as the edge sees it through trusted proxies")
	private String source;

	@Mixin
	private OutputOption output;

	@Override
	int run(EdgeRuleStore rules, CuratorFramework client, DigestCredentials credentials) {
		Map<String, String> headers = new LinkedHashMap<>();
		// Header names match ignoring case: the rules ask in lower case.
		this.headers.forEach((name, value) -> headers.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
		RuleRequest request = new FixedRuleRequest(headers, this.cookies, this.query, this.path,
				this.method.toUpperCase(Locale.ROOT), this.source);

		EdgeRule rule = new EdgeRules(rules.list()).evaluate(request);
		SourceBinding binding = (this.source != null)
				? new BindingStore(client, root().paths(), credentials).sourceBinding(this.source).orElse(null) : null;

		String group;
		String decidedBy;
		if (binding != null) {
			group = binding.group().name();
			decidedBy = "source-binding";
		}
		else if (rule != null) {
			group = rule.group().name();
			decidedBy = "rule";
		}
		else {
			group = null;
			decidedBy = "none";
		}
		new Listing("GROUP", "BY", "RULE").row(group, decidedBy, (binding == null && rule != null) ? rule.id() : null)
			.print(out(), this.output.format, root().headers());

		if (binding != null && rule != null) {
			note("source " + this.source + " is bound to " + binding.group() + ", which the edge applies before any "
					+ "rule; without that binding, rule " + rule.id() + " would give " + rule.group());
		}
		if (rule == null && binding == null) {
			note("no rule applies: the edge leaves the request untagged, so it is routed as stable");
		}
		if (headers.containsKey(TAG) || this.cookies.containsKey(TAG)
				|| headers.getOrDefault("baggage", "").contains(TAG)) {
			note("the request carries an explicit " + TAG + " tag; an edge that accepts tags from this caller uses "
					+ "it before any source binding or rule");
		}
		return IsolationCli.EXIT_OK;
	}

	private void note(String text) {
		// On standard error, so that the answer on standard output stays parseable.
		this.spec.commandLine().getErr().println("note: " + text);
	}

}
