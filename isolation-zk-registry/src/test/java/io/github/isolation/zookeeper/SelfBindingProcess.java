package io.github.isolation.zookeeper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;

import io.github.isolation.core.IsolationGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance that binds itself in a JVM of its own, so that a test can kill it as a crash
 * does: no graceful shutdown, no session closed, only a connection that ends. ZooKeeper then
 * removes the binding only when the session expires.
 */
final class SelfBindingProcess implements AutoCloseable {

	// The child stops by itself should the test that started it never kill it.
	private static final Duration LIFETIME = Duration.ofSeconds(60);

	private final Process process;

	private final long sessionId;

	private SelfBindingProcess(Process process, long sessionId) {
		this.process = process;
		this.sessionId = sessionId;
	}

	/**
	 * Starts the process and waits until its binding is made.
	 * @param connectString the ZooKeeper server
	 * @param paths where bindings live
	 * @param service the service id
	 * @param address the instance address
	 * @param group the group to bind to
	 * @return the running process
	 */
	static SelfBindingProcess start(String connectString, BindingPaths paths, String service,
			InstanceAddress address, IsolationGroup group) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), SelfBindingProcess.class.getName(), connectString, paths.root(),
				service, address.toString(), group.name()))
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = out.readLine()) != null) {
			if (line.startsWith("bound ")) {
				return new SelfBindingProcess(process, Long.parseLong(line.substring("bound ".length())));
			}
		}
		process.destroyForcibly();
		throw new IllegalStateException("The self-binding process ended before it bound, exit code " + process.exitValue());
	}

	/** @return the ZooKeeper session that holds the binding */
	long sessionId() {
		return this.sessionId;
	}

	/** Kills the process with SIGKILL, as a crash ends it, and waits until it is gone. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).as("the killed process ended").isTrue();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

	/**
	 * Binds, prints {@code bound <session id>} once the node is there under its session, and
	 * runs until killed, or for at most {@link #LIFETIME}.
	 * @param args connect string, bindings root, service id, address, group
	 */
	public static void main(String[] args) throws Exception {
		CuratorFramework client = ZooKeeperTestSupport.startClient(args[0]);
		BindingPaths paths = BindingPaths.of(args[1]);
		InstanceAddress address = InstanceAddress.parse(args[3]);
		SelfBinding binding = new SelfBinding(client, paths, null, args[2], address, IsolationGroup.of(args[4]));
		binding.start();
		String path = paths.instancePath(args[2], address);
		long session = await().atMost(Duration.ofSeconds(30)).until(() -> {
			long id = client.getZookeeperClient().getZooKeeper().getSessionId();
			var stat = client.checkExists().forPath(path);
			return (stat != null && stat.getEphemeralOwner() == id) ? id : null;
		}, (id) -> id != null);
		System.out.println("bound " + session);
		System.out.flush();
		Thread.sleep(LIFETIME.toMillis());
		binding.close();
		client.close();
	}

}
