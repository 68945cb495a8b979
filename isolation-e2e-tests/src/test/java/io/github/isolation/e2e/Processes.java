package io.github.isolation.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * The example services and the command-line tool as separate JVM processes on loopback, their
 * output in {@code target/e2e-logs}. Everything started here is killed by {@link #close()}, and
 * by a shutdown hook should the test JVM end first.
 */
final class Processes implements AutoCloseable {

	static final Path LOGS = Path.of("target", "e2e-logs");

	/** The system property naming the example services' jar: set by the build (pom.xml). */
	static final String EXAMPLES_JAR = "isolation.e2e.examples-jar";

	/** The system property naming the command-line tool's jar: set by the build (pom.xml). */
	static final String CLI_JAR = "isolation.e2e.cli-jar";

	private static final String BUILD = "./mvnw -B -pl isolation-e2e-tests -am verify";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	private final String zookeeper;

	private final List<String> extraArgs;

	private final Map<String, Instance> instances = new ConcurrentHashMap<>();

	// The broker's address once startKafkaBroker has run: every instance started after is given it.
	private volatile String kafka;

	private final List<Process> all = new ArrayList<>();

	private final Thread hook = new Thread(this::killAll, "e2e-process-killer");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/**
	 * @param zookeeper the connect string the instances and the tool use
	 * @param extraArgs command-line properties added to every instance
	 */
	Processes(String zookeeper, List<String> extraArgs) {
		this.zookeeper = zookeeper;
		this.extraArgs = List.copyOf(extraArgs);
		Runtime.getRuntime().addShutdownHook(this.hook);
	}

	/** Fails, saying how to build them, unless both jars the suite runs are there. */
	static void requireJars() {
		jar(EXAMPLES_JAR);
		jar(CLI_JAR);
	}

	/**
	 * The jar that the build names in a system property: a dependency of this module, so built
	 * in the same reactor before the suite runs.
	 */
	private static Path jar(String property) {
		String configured = System.getProperty(property, "").strip();
		if (configured.isEmpty()) {
			throw new IllegalStateException(property + " is not set: run the suite through Maven, which builds the "
					+ "jars it runs and names them, from the project root: " + BUILD);
		}
		Path jar = Path.of(configured);
		if (!Files.isRegularFile(jar)) {
			// A build that stops before package resolves a module of the reactor to its classes directory.
			throw new IllegalStateException(property + " is " + jar + ", not a jar: the build must reach package, "
					+ "from the project root: " + BUILD);
		}
		return jar;
	}

	/**
	 * Starts the examples' Kafka broker in a JVM of its own, and waits until it serves. The instances started from then on use it.
	 * @return its bootstrap address
	 */
	String startKafkaBroker() {
		Path log = LOGS.resolve("kafka-broker.log");
		Process process = start(List.of(java(), "-XX:TieredStopAtLevel=1", "-Xmx512m", "-cp",
				jar(EXAMPLES_JAR).toString(), "-Dloader.main=io.github.isolation.examples.KafkaBroker",
				"org.springframework.boot.loader.launch.PropertiesLauncher"), log);
		// The broker prints this line (KafkaBroker.READY in the examples) once it serves.
		String ready = "Kafka broker up on ";
		AtomicReference<String> address = new AtomicReference<>();
		await("the Kafka broker serving (log: " + log + ")").atMost(STARTUP_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.failFast("the Kafka broker exited early, see " + log, () -> !process.isAlive())
			.until(() -> {
				read(log).lines().filter((line) -> line.startsWith(ready)).findFirst()
					.ifPresent((line) -> address.set(line.substring(ready.length()).strip()));
				return address.get() != null;
			});
		this.kafka = address.get();
		return this.kafka;
	}

	/** Starts the instances, all at once, and waits until each answers its health check. */
	void startAll(List<String> names) {
		List<Instance> started = new ArrayList<>();
		for (String name : names) {
			started.add(launch(name));
		}
		for (Instance instance : started) {
			awaitHealthy(instance);
		}
	}

	private Instance launch(String name) {
		String[] serviceAndGroup = name.split("@");
		int port = Ports.free();
		List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-Xmx256m",
				"-XX:+UseSerialGC", "-jar", jar(EXAMPLES_JAR).toString(),
				"--spring.application.name=" + serviceAndGroup[0], "--isolation.group=" + serviceAndGroup[1],
				"--server.port=" + port, "--spring.cloud.zookeeper.connect-string=" + this.zookeeper));
		if (this.kafka != null) {
			command.add("--spring.kafka.bootstrap-servers=" + this.kafka);
		}
		command.addAll(this.extraArgs);
		Path log = LOGS.resolve(name.replace('@', '-') + ".log");
		Process process = start(command, log);
		Instance instance = new Instance(name, port, process, log);
		this.instances.put(name, instance);
		return instance;
	}

	private void awaitHealthy(Instance instance) {
		await(instance.name() + " healthy on 127.0.0.1:" + instance.port() + " (log: " + instance.log() + ")")
			.atMost(STARTUP_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.failFast(instance.name() + " exited early, see " + instance.log(), () -> !instance.process().isAlive())
			.until(() -> status("http://127.0.0.1:" + instance.port() + "/actuator/health") == 200);
	}

	private int status(String url) {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	Instance get(String name) {
		Instance instance = this.instances.get(name);
		if (instance == null) {
			throw new IllegalArgumentException("no instance " + name);
		}
		return instance;
	}

	/** Kills an instance with SIGKILL: no deregistration, no goodbye. */
	void kill(String name) throws InterruptedException {
		Instance instance = this.instances.remove(name);
		instance.process().destroyForcibly();
		instance.process().waitFor(10, TimeUnit.SECONDS);
	}

	/**
	 * Runs the command-line tool, {@code isolation --connect ZK args...}, to its end.
	 * @return its exit code and output
	 */
	Result cli(String... args) throws InterruptedException {
		List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-Xmx128m", "-jar",
				jar(CLI_JAR).toString(), "--connect", this.zookeeper));
		command.addAll(List.of(args));
		Path log = LOGS.resolve("cli-" + String.join("-", args).replaceAll("[^A-Za-z0-9.-]", "_") + ".log");
		Process process = start(command, log);
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return new Result(-1, "timed out after 60 s: " + read(log));
		}
		return new Result(process.exitValue(), read(log));
	}

	private Process start(List<String> command, Path log) {
		try {
			Files.createDirectories(LOGS);
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
			synchronized (this.all) {
				this.all.add(process);
			}
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start " + command, ex);
		}
	}

	private static String read(Path log) {
		try {
			return Files.readString(log, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private void killAll() {
		synchronized (this.all) {
			for (Process process : this.all) {
				process.destroyForcibly();
			}
			for (Process process : this.all) {
				try {
					process.waitFor(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	@Override
	public void close() {
		killAll();
		this.instances.clear();
		try {
			Runtime.getRuntime().removeShutdownHook(this.hook);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down: the hook runs anyway.
		}
	}

	/** A running instance of an example service, {@code service@group}. */
	record Instance(String name, int port, Process process, Path log) {
	}

	/** What a run of the command-line tool answered. */
	record Result(int exitCode, String output) {
	}

}
