package io.github.isolation.zookeeper.cli;

import java.util.Map;
import java.util.TreeMap;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.InstanceBinding;
import io.github.isolation.zookeeper.SourceBinding;

/** {@code isolation groups}: every group that has a binding, with its instance and source counts. */
@Command(name = "groups", description = "List the groups with their instance and source counts.")
final class GroupsCommand extends ZooKeeperCommand {

	@Mixin
	private OutputOption output;

	@Override
	int run(BindingStore store) {
		Map<String, int[]> counts = new TreeMap<>();
		for (InstanceBinding binding : store.instanceBindings()) {
			counts.computeIfAbsent(binding.group().name(), (name) -> new int[2])[0]++;
		}
		for (SourceBinding binding : store.sourceBindings()) {
			counts.computeIfAbsent(binding.group().name(), (name) -> new int[2])[1]++;
		}
		Listing listing = new Listing("GROUP", "INSTANCES", "SOURCES");
		counts.forEach((group, count) -> listing.row(group, count[0], count[1]));
		listing.print(out(), this.output.format, root().headers());
		return IsolationCli.EXIT_OK;
	}

}
