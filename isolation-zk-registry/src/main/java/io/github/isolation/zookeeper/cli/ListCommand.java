package io.github.isolation.zookeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.InstanceBinding;

/** {@code isolation list}: the instance bindings, persistent and ephemeral, optionally filtered. */
@Command(name = "list", description = "List instance bindings.")
final class ListCommand extends ZooKeeperCommand {

	@Option(names = "--service", paramLabel = "SERVICE", converter = Converters.ServiceId.class,
			description = "only this service's bindings")
	private String service;

	@Option(names = "--group", paramLabel = "GROUP", converter = Converters.Group.class,
			description = "only the bindings to this group")
	private IsolationGroup group;

	@Mixin
	private OutputOption output;

	@Override
	int run(BindingStore store) {
		Listing listing = new Listing("SERVICE", "ADDRESS", "GROUP", "KIND");
		for (InstanceBinding binding : store.instanceBindings()) {
			if ((this.service == null || this.service.equals(binding.serviceId()))
					&& (this.group == null || this.group.equals(binding.group()))) {
				listing.row(binding.serviceId(), binding.address().toString(), binding.group().name(),
						binding.ephemeral() ? "ephemeral" : "persistent");
			}
		}
		listing.print(out(), this.output.format, root().headers());
		return IsolationCli.EXIT_OK;
	}

}
