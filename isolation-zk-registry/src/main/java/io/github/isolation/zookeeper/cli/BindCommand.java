package io.github.isolation.zookeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.InstanceAddress;

/** {@code isolation bind SERVICE HOST:PORT GROUP}: binds an instance with a persistent node. */
@Command(name = "bind", description = "Bind an instance to a group (persistent: it stays until unbound).")
final class BindCommand extends ZooKeeperCommand {

	@Parameters(index = "0", paramLabel = "SERVICE", converter = Converters.ServiceId.class,
			description = "the service id, in any case")
	private String service;

	@Parameters(index = "1", paramLabel = "HOST:PORT", converter = Converters.Address.class,
			description = "the instance's address")
	private InstanceAddress address;

	@Parameters(index = "2", paramLabel = "GROUP", converter = Converters.Group.class,
			description = "the isolation group")
	private IsolationGroup group;

	@Override
	int run(BindingStore store) {
		store.bind(this.service, this.address, this.group);
		out().println("bound " + this.service + " " + this.address + " to " + this.group);
		return IsolationCli.EXIT_OK;
	}

}
