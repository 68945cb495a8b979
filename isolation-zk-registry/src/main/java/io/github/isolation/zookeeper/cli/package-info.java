/**
 * The command-line tool {@code isolation}, built on picocli: {@link io.github.isolation.zookeeper.cli.IsolationCli}
 * is its entry point, and each command is a class of its own. picocli is an optional dependency of this module:
 * applications that use the bindings never get it; whatever runs the tool (the cli jar, the demo) declares it.
 */
package io.github.isolation.zookeeper.cli;
