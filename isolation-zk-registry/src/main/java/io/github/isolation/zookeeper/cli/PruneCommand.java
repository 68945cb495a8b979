package io.github.isolation.zookeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.InstanceBinding;
import io.github.isolation.zookeeper.SourceBinding;

/**
 * {@code isolation prune GROUP}: tears a group down by removing every persistent binding to
 * it. Instances' own (ephemeral) bindings stay: they go when the instances stop.
 */
@Command(name = "prune", description = "Remove every persistent binding to a group.")
final class PruneCommand extends ZooKeeperCommand {

	@Parameters(index = "0", paramLabel = "GROUP", converter = Converters.Group.class,
			description = "the isolation group to tear down")
	private IsolationGroup group;

	@Override
	int run(BindingStore store) {
		BindingStore.PruneResult result = store.prune(this.group);
		for (InstanceBinding binding : result.removedInstances()) {
			out().println("removed " + binding.serviceId() + " " + binding.address());
		}
		for (SourceBinding binding : result.removedSources()) {
			out().println("removed source " + binding.address());
		}
		for (InstanceBinding binding : result.keptEphemeral()) {
			out().println("kept " + binding.serviceId() + " " + binding.address()
					+ " (the instance's own binding; it goes when the instance stops)");
		}
		out().println("pruned " + this.group + ": removed " + result.removedInstances().size() + " instance and "
				+ result.removedSources().size() + " source bindings, kept " + result.keptEphemeral().size()
				+ " ephemeral");
		return IsolationCli.EXIT_OK;
	}

}
