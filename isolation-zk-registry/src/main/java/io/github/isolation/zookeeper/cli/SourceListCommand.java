package io.github.isolation.zookeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.SourceBinding;

/** {@code isolation source list}: the source bindings, optionally of one group. */
@Command(name = "list", description = "List source bindings.")
final class SourceListCommand extends ZooKeeperCommand {

	@Option(names = "--group", paramLabel = "GROUP", converter = Converters.Group.class,
			description = "only the bindings to this group")
	private IsolationGroup group;

	@Mixin
	private OutputOption output;

	@Override
	int run(BindingStore store) {
		Listing listing = new Listing("ADDRESS", "GROUP");
		for (SourceBinding binding : store.sourceBindings()) {
			if (this.group == null || this.group.equals(binding.group())) {
				listing.row(binding.address(), binding.group().name());
			}
		}
		listing.print(out(), this.output.format, root().headers());
		return IsolationCli.EXIT_OK;
	}

}
