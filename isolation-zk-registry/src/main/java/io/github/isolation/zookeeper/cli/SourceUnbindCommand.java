package io.github.isolation.zookeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import io.github.isolation.zookeeper.BindingStore;

/** {@code isolation source unbind IP}: removes a source binding; fails when there is none. */
@Command(name = "unbind", description = "Remove a source binding.")
final class SourceUnbindCommand extends ZooKeeperCommand {

	@Parameters(index = "0", paramLabel = "IP", converter = Converters.SourceAddress.class,
			description = "an IPv4 or IPv6 address")
	private String address;

	@Override
	int run(BindingStore store) {
		BindingStore.Removal removal = store.removeSourceNode(this.address).orElse(null);
		if (removal == null) {
			return fail("source " + this.address + " has no binding");
		}
		out().println("unbound source " + this.address + UnbindCommand.wasBoundTo(removal));
		return IsolationCli.EXIT_OK;
	}

}
