package io.github.isolation.zookeeper.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.DigestCredentials;

/**
 * A command that works on ZooKeeper: connects with the shared options of {@code isolation},
 * runs, and closes the connection. Arguments are validated before it runs, so a malformed
 * command line never connects.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
abstract class ZooKeeperCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Override
	public final Integer call() throws Exception {
		prepare();
		return root().withClient(this.spec, this::run);
	}

	/**
	 * Checks what the command line alone cannot, such as a file's content, before connecting.
	 * @throws picocli.CommandLine.ParameterException if the input is not usable
	 */
	void prepare() throws Exception {
	}

	/**
	 * Runs the command against a connected client.
	 * @param client the client, connected
	 * @param credentials the credentials that protect what it writes, or {@code null}
	 * @return the exit code
	 */
	int run(CuratorFramework client, DigestCredentials credentials) throws Exception {
		return run(new BindingStore(client, root().paths(), credentials));
	}

	/**
	 * Runs a command that needs only the bindings.
	 * @param store the bindings
	 * @return the exit code
	 */
	int run(BindingStore store) throws Exception {
		throw new IllegalStateException(getClass().getSimpleName() + " does not use the binding store");
	}

	IsolationCommand root() {
		return (IsolationCommand) this.spec.root().userObject();
	}

	PrintWriter out() {
		return this.spec.commandLine().getOut();
	}

	/** Prints a one-line error and returns the exit code of a failure. */
	int fail(String message) {
		this.spec.commandLine().getErr().println("error: " + IsolationCli.oneLine(message));
		return IsolationCli.EXIT_FAILURE;
	}

}
