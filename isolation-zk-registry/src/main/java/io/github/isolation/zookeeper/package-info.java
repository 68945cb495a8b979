/**
 * Bindings of instances and request sources to isolation groups, held in ZooKeeper and served
 * from memory: {@link io.github.isolation.zookeeper.BindingsView} (what routing reads),
 * {@link io.github.isolation.zookeeper.SelfBinding} (an instance binding itself),
 * {@link io.github.isolation.zookeeper.BindingStore} (what tools write) and
 * {@link io.github.isolation.zookeeper.cli.IsolationCli} (the command-line tool). Plain Java on
 * Apache Curator's recipes; no Spring.
 */
package io.github.isolation.zookeeper;
