package io.github.isolation.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's demo, run as {@code examples/demo.sh} runs it: its embedded ZooKeeper and
 * the example services in their groups, in a JVM of its own, so that the console and the
 * browser see exactly what a user of the demo sees.
 */
final class DemoProcess implements AutoCloseable {

	static final Path EXAMPLES_JAR = Path.of("..", "examples", "target", "isolation-examples.jar");

	private static final Pattern ZOOKEEPER = Pattern.compile("ZooKeeper \\(embedded\\)\\s+(\\S+)");

	private static final Pattern WEB = Pattern.compile("^\\s+web@stable\\s+(\\S+)");

	private final Process process;

	private final CompletableFuture<String> zookeeper = new CompletableFuture<>();

	private final CompletableFuture<String> web = new CompletableFuture<>();

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	private final List<String> output = new ArrayList<>();

	private DemoProcess(Process process) {
		this.process = process;
		Thread reader = new Thread(this::read, "demo-output");
		reader.setDaemon(true);
		reader.start();
	}

	static boolean available() {
		return Files.isRegularFile(EXAMPLES_JAR);
	}

	static DemoProcess start() throws IOException {
		return new DemoProcess(java(List.of("-jar", EXAMPLES_JAR.toString(), "demo")));
	}

	/**
	 * Starts one more example instance, in a JVM of its own so that it can be stopped as a
	 * deployment would stop it.
	 */
	static Process startInstance(String zookeeper, String service, String group) throws IOException {
		return java(List.of("-jar", EXAMPLES_JAR.toString(), "--spring.application.name=" + service,
				"--isolation.group=" + group, "--spring.cloud.zookeeper.connect-string=" + zookeeper));
	}

	private static Process java(List<String> args) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-Xmx384m"));
		command.addAll(args);
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput((args.contains("demo")) ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD)
			.start();
	}

	String zookeeper(Duration timeout) throws Exception {
		return this.zookeeper.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Waits until the demo has played its table and keeps running.
	 * @return the web instance's {@code host:port}
	 */
	String awaitRunning(Duration timeout) throws Exception {
		try {
			this.ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			synchronized (this.output) {
				throw new AssertionError("the demo did not start; it printed:\n" + String.join("\n", this.output), ex);
			}
		}
		return this.web.get();
	}

	private void read() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				synchronized (this.output) {
					this.output.add(line);
				}
				Matcher zk = ZOOKEEPER.matcher(line);
				if (zk.find()) {
					this.zookeeper.complete(zk.group(1));
				}
				Matcher web = WEB.matcher(line);
				if (web.find()) {
					this.web.complete(web.group(1));
				}
				if (line.startsWith("The demo keeps running")) {
					this.ready.complete(null);
				}
			}
		}
		catch (IOException ex) {
			// The process ended.
		}
		this.ready.completeExceptionally(new IllegalStateException("the demo ended"));
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
		assertThat(this.process.isAlive()).isFalse();
	}

}
