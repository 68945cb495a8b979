package io.github.isolation.benchmarks.zookeeper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link StandaloneZookeeper} in a child JVM on this JVM's class path and stops it again.
 */
public final class ZookeeperProcess implements AutoCloseable {

	private final Process process;

	private final String connectString;

	private ZookeeperProcess(Process process, String connectString) {
		this.process = process;
		this.connectString = connectString;
	}

	/**
	 * Starts a server and waits until it serves.
	 * @return the running server
	 * @throws IOException if it cannot be started or does not say it is ready
	 */
	public static ZookeeperProcess start() throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
				StandaloneZookeeper.class.getName()))
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = out.readLine()) != null) {
			if (line.startsWith("READY ")) {
				return new ZookeeperProcess(process, line.substring("READY ".length()).trim());
			}
		}
		process.destroyForcibly();
		throw new IOException("ZooKeeper child process ended before it was ready");
	}

	/**
	 * Where clients connect.
	 * @return the connect string
	 */
	public String connectString() {
		return this.connectString;
	}

	@Override
	public void close() throws InterruptedException {
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			// Closing our end is only the polite way to stop it; destroy below is the sure one.
		}
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

}
