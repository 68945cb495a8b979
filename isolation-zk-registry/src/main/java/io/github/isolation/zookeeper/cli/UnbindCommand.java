package io.github.isolation.zookeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.InstanceAddress;

/**
 * {@code isolation unbind SERVICE HOST:PORT}: removes an instance's persistent binding, or a
 * malformed node at its path. Fails when there is nothing to remove, and refuses an instance's
 * own (ephemeral) binding.
 */
@Command(name = "unbind", description = "Remove an instance's persistent binding.")
final class UnbindCommand extends ZooKeeperCommand {

	@Parameters(index = "0", paramLabel = "SERVICE", converter = Converters.ServiceId.class,
			description = "the service id, in any case")
	private String service;

	@Parameters(index = "1", paramLabel = "HOST:PORT", converter = Converters.Address.class,
			description = "the instance's address")
	private InstanceAddress address;

	@Override
	int run(BindingStore store) {
		BindingStore.Removal removal = store.removeInstanceNode(this.service, this.address).orElse(null);
		if (removal == null) {
			return fail(this.service + " " + this.address + " has no binding");
		}
		out().println("unbound " + this.service + " " + this.address + wasBoundTo(removal));
		return IsolationCli.EXIT_OK;
	}

	/** What a removed node held, for the confirmation line. */
	static String wasBoundTo(BindingStore.Removal removal) {
		return (removal.group() != null) ? " (was " + removal.group() + ")"
				: " (removed a malformed node: " + removal.malformedReason() + ")";
	}

}
