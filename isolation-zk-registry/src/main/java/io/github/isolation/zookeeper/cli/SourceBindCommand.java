package io.github.isolation.zookeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingStore;

/** {@code isolation source bind IP GROUP}: colours requests from an address at the edge. */
@Command(name = "bind", description = "Bind requests from an IP address to a group.")
final class SourceBindCommand extends ZooKeeperCommand {

	@Parameters(index = "0", paramLabel = "IP", converter = Converters.SourceAddress.class,
			description = "an IPv4 or IPv6 address")
	private String address;

	@Parameters(index = "1", paramLabel = "GROUP", converter = Converters.Group.class,
			description = "the isolation group")
	private IsolationGroup group;

	@Override
	int run(BindingStore store) {
		store.bindSource(this.address, this.group);
		out().println("bound source " + this.address + " to " + this.group);
		return IsolationCli.EXIT_OK;
	}

}
