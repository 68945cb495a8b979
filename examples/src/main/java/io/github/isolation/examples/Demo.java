package io.github.isolation.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import io.github.isolation.zookeeper.cli.IsolationCli;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.common.TopicPartition;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The demo: an embedded ZooKeeper and Kafka broker, nine instances of the example services in one
 * JVM, and the routes that requests in each group take through them, compared with the expected
 * ones; for each request, also where the {@value OrderPlacedListener#TOPIC} record that
 * {@code orders} published went: which {@code notifications} instance processed it, and which
 * {@code pricing} instance its call reached.
 *
 * <pre>
 * java -jar isolation-examples.jar demo [--once] [--port PORT]
 * </pre>
 */
public final class Demo implements AutoCloseable {

	/** Exit code: every route as expected. */
	public static final int EXIT_OK = 0;

	/** Exit code: at least one route, of a request or of its record, differs from the expected one. */
	public static final int EXIT_ROUTES_DIFFER = 1;

	/** Exit code: bad arguments. */
	public static final int EXIT_USAGE = 2;

	/** Exit code: ZooKeeper, Kafka or an instance did not start. */
	public static final int EXIT_STARTUP_FAILED = 3;

	static final String USAGE = """
			Usage: java -jar isolation-examples.jar demo [--once] [--port PORT]
			  --once       print the table of routes and exit: 0 if all are as expected, 1 if not
			  --port PORT  port of the web instance, the entry of the chain (default: any free port)
			Exit codes: 0 routes as expected, 1 a route differs, 2 usage error, 3 startup failed.""";

	/** How long a route may take to settle: bindings and registrations reach the callers by ZooKeeper watches. */
	private static final Duration SETTLE = Duration.ofSeconds(10);

	/**
	 * How long a record may take to be processed: the first record a consumer gets waits for its
	 * group's first fetch; the others take milliseconds.
	 */
	private static final Duration RECORD_SETTLE = Duration.ofSeconds(30);

	/** How long the listeners may take to join their consumer groups and be given the topic's partitions. */
	private static final Duration ASSIGNMENT_TIMEOUT = Duration.ofSeconds(60);

	/** Partitions of the topic: a lane opens per partition, so more than one shows that it does. */
	static final int PARTITIONS = 3;

	/** What the demo expects of a request whose chain fails before orders places the order. */
	private static final String NO_RECORD = "(none: the order was not placed)";

	private static final String NOTIFIED_STABLE = "notifications@stable > pricing@stable";

	private static final String ALL_STABLE = "web@stable > orders@stable > inventory@stable > pricing@stable";

	/** How the answer to a request that must fail begins: a route ends in the reason, as 502. */
	private static final String FAILED = "HTTP 502: ";

	private static final Step NOTHING = () -> null;

	private final PrintStream out;

	private final List<Instance> instances = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private TestingServer zookeeper;

	private EmbeddedKafkaKraftBroker kafka;

	private Instance web;

	private boolean closed;

	private boolean loggingConfigured;

	/** The one logging system, kept: once configured, LoggingSystem.get answers the no-op one. */
	private LoggingSystem logging;

	private String loggingSystemBefore;

	private Demo(PrintStream out) {
		this.out = out;
	}

	/**
	 * Runs the demo and exits with its exit code.
	 * @param args the demo's options
	 */
	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	/**
	 * Runs the demo. With {@code --once} it returns when the table is printed; otherwise it
	 * keeps running until the JVM is stopped (Ctrl-C).
	 * @param args the demo's options
	 * @param out where the demo prints its progress and table
	 * @param err where it prints what went wrong, one line
	 * @return the exit code, {@link #EXIT_OK} when every route is as expected
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		boolean once = false;
		int webPort = 0;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--once" -> once = true;
				case "--port" -> {
					webPort = (i + 1 < args.length) ? parsePort(args[++i]) : -1;
					if (webPort < 0) {
						err.println("demo: --port needs a port number from 1 to 65535\n" + USAGE);
						return EXIT_USAGE;
					}
				}
				case "-h", "--help" -> {
					out.println(USAGE);
					return EXIT_OK;
				}
				default -> {
					err.println("demo: unknown option '" + args[i] + "'\n" + USAGE);
					return EXIT_USAGE;
				}
			}
		}
		Demo demo = new Demo(out);
		Thread stopper = new Thread(() -> {
			out.println("Stopping the demo...");
			demo.close();
			out.println("Stopped.");
		}, "demo-stopper");
		if (!once) {
			// Ctrl-C: close the instances before the ZooKeeper they are registered in.
			Runtime.getRuntime().addShutdownHook(stopper);
		}
		try {
			demo.start(webPort);
		}
		catch (StartupException ex) {
			err.println("demo: " + ex.getMessage());
			demo.close();
			return EXIT_STARTUP_FAILED;
		}
		List<Row> rows = demo.play();
		long differ = rows.stream().filter((row) -> !row.ok()).count();
		if (differ > 0) {
			err.println("demo: " + differ + " of " + rows.size()
					+ " rows differ from the expected ones (the request's route or its record's)");
		}
		if (once) {
			demo.close();
			return (differ > 0) ? EXIT_ROUTES_DIFFER : EXIT_OK;
		}
		try {
			demo.keepRunning();
		}
		catch (StartupException ex) {
			err.println("demo: " + ex.getMessage());
			demo.close();
			return EXIT_STARTUP_FAILED;
		}
		try {
			// Until Ctrl-C, whose shutdown hook closes everything.
			new CountDownLatch(1).await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		demo.close();
		return EXIT_OK;
	}

	/** Starts ZooKeeper, Kafka and the nine instances, one progress line each. */
	private void start(int webPort) throws StartupException {
		configureLogging();
		long began = System.nanoTime();
		this.out.println("Isolation demo: the chain web -> orders -> inventory -> pricing, and the event "
				+ OrderPlacedListener.TOPIC + ": orders -> notifications -> pricing");
		try {
			this.zookeeper = new TestingServer(true);
		}
		catch (Exception ex) {
			throw new StartupException("could not start the embedded ZooKeeper: " + rootMessage(ex));
		}
		this.out.printf("  %-26s %s%n", "ZooKeeper (embedded)", this.zookeeper.getConnectString());
		// The broker starts while the services that do not use Kafka do; orders and notifications,
		// which do, start once it is up.
		CompletableFuture<EmbeddedKafkaKraftBroker> kafka = CompletableFuture.supplyAsync(Demo::startKafka);
		start("pricing", "stable", 0);
		start("inventory", "stable", 0);
		this.web = start("web", "stable", webPort);
		start("pricing", "feature-pricing", 0);
		start("pricing", "feature-cart", 0);
		awaitKafka(kafka);
		start("orders", "stable", 0);
		start("orders", "feature-cart", 0);
		start("notifications", "stable", 0);
		start("notifications", "feature-cart", 0);
		awaitListenersAssigned();
		this.out.printf("Ready in %.1f s.%n%n", seconds(began));
	}

	/**
	 * The real KRaft broker of spring-kafka-test, as Spring Kafka's own tests run it: one node,
	 * the topic made with it, nothing to install.
	 */
	private static EmbeddedKafkaKraftBroker startKafka() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, OrderPlacedListener.TOPIC);
		// Formatting its storage prints a line to System.out that the demo's table has no use for.
		// The demo's own lines go to the stream it was given, which this does not touch.
		PrintStream systemOut = System.out;
		System.setOut(new PrintStream(OutputStream.nullOutputStream()));
		try {
			broker.afterPropertiesSet();
		}
		finally {
			System.setOut(systemOut);
		}
		return broker;
	}

	private void awaitKafka(CompletableFuture<EmbeddedKafkaKraftBroker> starting) throws StartupException {
		long began = System.nanoTime();
		try {
			this.kafka = starting.get();
		}
		catch (ExecutionException ex) {
			throw new StartupException("could not start the embedded Kafka broker: " + rootMessage(ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StartupException("interrupted while the embedded Kafka broker started");
		}
		this.out.printf("  %-26s %-16s up, waited %.1f s for it%n", "Kafka (embedded)", this.kafka.getBrokersAsString(),
				seconds(began));
	}

	/**
	 * Waits until each notifications instance's listener has been given the topic's partitions
	 * in its consumer group: stable in {@code notifications}, feature-cart in its lane. The
	 * feature-cart lane opens when its consumer is first given them, so from then on its group's
	 * records go to it; a record sent earlier would go to stable, as the rule says for a lane not
	 * open yet, and the table would show that instead of the lane.
	 */
	private void awaitListenersAssigned() throws StartupException {
		long began = System.nanoTime();
		List<Instance> listeners = instancesOf("notifications");
		while (!listeners.stream().allMatch((instance) -> assignedPartitions(instance) >= PARTITIONS)) {
			if (System.nanoTime() - began > ASSIGNMENT_TIMEOUT.toNanos()) {
				StringBuilder state = new StringBuilder();
				for (Instance instance : listeners) {
					state.append(", ").append(instance.name()).append(" has ").append(assignedPartitions(instance));
				}
				throw new StartupException("the notifications listeners were not given the " + PARTITIONS
						+ " partitions of " + OrderPlacedListener.TOPIC + " within " + ASSIGNMENT_TIMEOUT.toSeconds()
						+ " s" + state);
			}
			pause();
		}
		this.out.printf("  %-26s %-16s assigned in %.1f s%n", "notifications listeners", OrderPlacedListener.TOPIC,
				seconds(began));
	}

	private static int assignedPartitions(Instance instance) {
		MessageListenerContainer container = instance.context()
			.getBean(KafkaListenerEndpointRegistry.class)
			.getListenerContainer(OrderPlacedListener.LISTENER_ID);
		if (container == null) {
			return 0;
		}
		Collection<TopicPartition> assigned = container.getAssignedPartitions();
		return (assigned != null) ? assigned.size() : 0;
	}

	private List<Instance> instancesOf(String service) {
		synchronized (this.instances) {
			return this.instances.stream().filter((instance) -> instance.service().equals(service)).toList();
		}
	}

	/**
	 * One logging configuration for the whole JVM, made once: ZooKeeper's server, Kafka's broker
	 * and nine applications share it, and an application that reconfigured it while starting would let
	 * the others' debug lines through meanwhile. Warnings only, and no failure report from
	 * Spring Boot or Tomcat: a failed start is reported in one line.
	 */
	private void configureLogging() {
		LoggingSystem logging = LoggingSystem.get(Demo.class.getClassLoader());
		logging.beforeInitialize();
		logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
		logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
		this.logging = logging;
		for (String logger : List.of("org.springframework.boot.SpringApplication", "org.springframework.boot.diagnostics",
				"org.springframework.boot.web.server.servlet.context", "org.apache.catalina", "org.apache.coyote")) {
			logging.setLogLevel(logger, LogLevel.OFF);
		}
		logging.setLogLevel("org.apache.zookeeper.server", LogLevel.ERROR);
		// The broker and the clients warn of connections that come and go as instances start and stop.
		logging.setLogLevel("kafka", LogLevel.ERROR);
		logging.setLogLevel("org.apache.kafka", LogLevel.ERROR);
		logging.setLogLevel("state.change.logger", LogLevel.OFF);
		// Isolation warns of every request it fails; the table shows that message already.
		logging.setLogLevel("io.github.isolation", LogLevel.ERROR);
		this.loggingSystemBefore = System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		this.loggingConfigured = true;
	}

	private Instance start(String service, String group, int port) throws StartupException {
		long began = System.nanoTime();
		// As command-line arguments: they override application.yml, as they would for a user.
		String[] args = { "--spring.application.name=" + service, "--isolation.group=" + group, "--server.port=" + port,
				"--spring.cloud.zookeeper.connect-string=" + this.zookeeper.getConnectString(),
				// Before the broker is up (services that do not use Kafka), application.yml's address stands.
				"--spring.kafka.bootstrap-servers="
						+ ((this.kafka != null) ? this.kafka.getBrokersAsString() : "localhost:9092"),
				// The demo closes the instances itself, before ZooKeeper.
				"--spring.main.register-shutdown-hook=false",
				// One logging configuration for all (see configureLogging): no single name fits its lines.
				"--logging.include-application-name=false" };
		String name = service + "@" + group;
		ConfigurableApplicationContext context;
		try {
			context = new SpringApplicationBuilder(ExampleApplication.class).run(args);
		}
		catch (Exception ex) {
			if (port != 0 && hasCause(ex, BindException.class)) {
				throw new StartupException("could not start " + name + ": port " + port
						+ " is in use; choose another with --port, or leave it out for any free port");
			}
			throw new StartupException("could not start " + name + ": " + rootMessage(ex));
		}
		int actualPort = context.getEnvironment().getProperty("local.server.port", Integer.class);
		Instance instance = new Instance(service, group, actualPort, context);
		synchronized (this.instances) {
			this.instances.add(instance);
		}
		this.out.printf("  %-26s 127.0.0.1:%-6d started in %.1f s%n", name, actualPort, seconds(began));
		return instance;
	}

	/** Sends the demo's requests and prints the table. */
	private List<Row> play() {
		String webAddress = "127.0.0.1:" + this.web.port();
		List<Case> cases = List.of(
				new Case("untagged request: stable all the way", NOTHING, List.of(), ALL_STABLE, NOTIFIED_STABLE),
				new Case("feature-pricing: its own pricing, stable elsewhere; no notifications in feature-pricing,"
						+ " so stable processes its record", NOTHING, List.of("isolation-group", "feature-pricing"),
						"web@stable > orders@stable > inventory@stable > pricing@feature-pricing",
						"notifications@stable > pricing@feature-pricing"),
				new Case("feature-cart: the tag survives the fallback hop inventory@stable, and its record goes to"
						+ " notifications@feature-cart", NOTHING, List.of("baggage", "isolation-group=feature-cart"),
						"web@stable > orders@feature-cart > inventory@stable > pricing@feature-cart",
						"notifications@feature-cart > pricing@feature-cart"),
				new Case("feature-cart, inventory fail-fast: there is no inventory in feature-cart, so it fails at once",
						NOTHING, List.of("isolation-group", "feature-cart", "isolation-fail-fast", "inventory"),
						FAILED + "web@stable > orders@feature-cart > failed: No instance of 'inventory' in isolation group "
								+ "'feature-cart' and 'inventory' is fail-fast",
						NO_RECORD),
				new Case("untagged, after `isolation bind web " + webAddress + " feature-cart`: the web instance"
						+ " joins feature-cart while it runs",
						() -> isolation("bind", "web", webAddress, "feature-cart"), List.of(),
						"web@feature-cart > orders@feature-cart > inventory@stable > pricing@feature-cart",
						"notifications@feature-cart > pricing@feature-cart"),
				new Case("feature-pricing, after `isolation unbind web " + webAddress + "` and stopping "
						+ "pricing@feature-pricing: falls back to stable", () -> {
							String failed = isolation("unbind", "web", webAddress);
							stop("pricing", "feature-pricing");
							return failed;
						}, List.of("isolation-group", "feature-pricing"), ALL_STABLE, NOTIFIED_STABLE));
		List<Row> rows = new ArrayList<>();
		this.out.println("Routes of requests sent to web (" + webAddress + "), each hop as service@group, and of the "
				+ OrderPlacedListener.TOPIC + " record that orders published for each:");
		for (Case c : cases) {
			String failedStep = c.before().run();
			int number = rows.size() + 1;
			Row row = (failedStep != null) ? new Row(c, 0, failedStep, Duration.ZERO, "", records("")) : send(c, number);
			if (failedStep == null) {
				row = row.withRecord(awaitRecord(row));
			}
			rows.add(row);
			print(number, row);
		}
		// Every record has been processed once by now; one processed again since (or one that
		// should not exist and appeared late) is caught here.
		for (int i = 0; i < rows.size(); i++) {
			Row row = rows.get(i);
			String now = records(row.order());
			if (!now.equals(row.record())) {
				this.out.printf("%n%d  its record, looked at again: %s%n   DIFFERS%n", i + 1, now);
				rows.set(i, row.withRecord(now));
			}
		}
		long ok = rows.stream().filter(Row::ok).count();
		this.out.printf("%n%d of %d routes as expected.%n", ok, rows.size());
		return rows;
	}

	/**
	 * Waits for the record of a request's order to be processed, up to {@link #RECORD_SETTLE},
	 * unless none is expected: the order of a failed request is never placed.
	 * @return where it went, as {@link #records(String)}
	 */
	private String awaitRecord(Row row) {
		if (row.c().record().equals(NO_RECORD) || row.status() != 200) {
			return records(row.order());
		}
		long began = System.nanoTime();
		String record = records(row.order());
		while (record.equals(NO_RECORD) && System.nanoTime() - began < RECORD_SETTLE.toNanos()) {
			pause();
			record = records(row.order());
		}
		return record;
	}

	/**
	 * Where an order's record went: the route of each processing by any notifications instance,
	 * joined by " + " should there be more than one.
	 */
	private String records(String order) {
		List<String> routes = new ArrayList<>();
		for (Instance instance : instancesOf("notifications")) {
			routes.addAll(instance.context().getBean(OrderPlacedListener.class).routesOf(order));
		}
		return routes.isEmpty() ? NO_RECORD : String.join(" + ", routes);
	}

	/**
	 * Sends a case's request until its route is the expected one or {@link #SETTLE} has passed:
	 * a change reaches the other instances through ZooKeeper watches, within milliseconds.
	 */
	private Row send(Case c, int number) {
		long began = System.nanoTime();
		// An order per request: a request sent before the route settled places an order of its own,
		// whose record is not this row's.
		int attempt = 1;
		Row row = call(c, Duration.ZERO, number + "-" + attempt);
		while (!row.routeOk() && System.nanoTime() - began < SETTLE.toNanos()) {
			pause();
			row = call(c, Duration.ofNanos(System.nanoTime() - began), number + "-" + (++attempt));
		}
		return row;
	}

	private Row call(Case c, Duration after, String order) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.web.port() + "/?order=" + order))
			.timeout(SETTLE);
		for (int i = 0; i < c.headers().size(); i += 2) {
			request.header(c.headers().get(i), c.headers().get(i + 1));
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			String body = (response.statusCode() == 200) ? response.body()
					: "HTTP " + response.statusCode() + ": " + response.body();
			return new Row(c, response.statusCode(), body, after, order, NO_RECORD);
		}
		catch (IOException ex) {
			return new Row(c, 0, "request failed: " + rootMessage(ex), after, order, NO_RECORD);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Row(c, 0, "interrupted", after, order, NO_RECORD);
		}
	}

	private void print(int number, Row row) {
		Case c = row.c();
		this.out.printf("%n%d  %s%n", number, c.title());
		this.out.println("   headers   " + c.headersText());
		this.out.println("   expected  " + c.expected() + (c.error() ? " ..." : ""));
		this.out.println("   actual    " + row.body());
		this.out.println("   record    order " + (row.order().isEmpty() ? "(none)" : row.order()) + " on "
				+ OrderPlacedListener.TOPIC);
		this.out.println("   expected  " + c.record());
		this.out.println("   actual    " + row.record());
		String settled = "";
		if (c.before() != NOTHING && row.ok()) {
			settled = row.after().isZero() ? ", from the first request after the change"
					: ", " + row.after().toMillis() + " ms after the change";
		}
		this.out.println("   " + (row.ok() ? "OK" : "DIFFERS") + settled);
	}

	/**
	 * Runs the command-line tool through its entry point, as {@code isolation --connect ZK ...}.
	 * @return {@code null} on success, else what it printed
	 */
	private String isolation(String... command) {
		List<String> args = new ArrayList<>(List.of("--connect", this.zookeeper.getConnectString()));
		args.addAll(List.of(command));
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = IsolationCli.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return (exit == 0) ? null
				: "isolation " + String.join(" ", command) + " exited with " + exit + ": "
						+ err.toString(StandardCharsets.UTF_8).strip();
	}

	private void stop(String service, String group) {
		synchronized (this.instances) {
			this.instances.removeIf((instance) -> {
				boolean match = instance.service().equals(service) && instance.group().equals(group);
				if (match) {
					instance.context().close();
				}
				return match;
			});
		}
	}

	/** After the table: brings pricing@feature-pricing back and shows what to try. */
	private void keepRunning() throws StartupException {
		this.out.println();
		this.out.println("Starting pricing@feature-pricing again, for you to try:");
		start("pricing", "feature-pricing", 0);
		// From here on, each record processed prints where it went (the table above showed them so far).
		if (this.logging != null) {
			this.logging.setLogLevel(OrderPlacedListener.class.getName(), LogLevel.INFO);
		}
		String url = "http://127.0.0.1:" + this.web.port() + "/";
		String zk = this.zookeeper.getConnectString();
		this.out.println();
		this.out.println("The demo keeps running (Ctrl-C stops it). Send requests to web:");
		this.out.println("  curl " + url);
		this.out.println("  curl -H 'isolation-group: feature-cart' " + url);
		this.out.println("  curl -H 'baggage: isolation-group=feature-pricing' " + url);
		this.out.println("  curl -H 'isolation-group: feature-cart' -H 'isolation-fail-fast: inventory' " + url);
		this.out.println("  curl -H 'baggage: isolation-group=feature-cart,isolation-fail-fast=inventory%2Cpricing' " + url);
		this.out.println("  curl -H 'isolation-group: feature-cart' '" + url + "?order=42'"
				+ "    # orders places order 42: notifications@feature-cart logs where its record went");
		this.out.println();
		this.out.println("Change bindings live with the command-line tool:");
		this.out.println("  alias isolation='java -jar " + cliJar() + " --connect " + zk + "'");
		this.out.println("  isolation list");
		this.out.println("  isolation bind web 127.0.0.1:" + this.web.port() + " feature-cart    # then: curl " + url);
		this.out.println("  isolation unbind web 127.0.0.1:" + this.web.port());
		this.out.println();
		this.out.println("Or start an instance of your own into a group (fixes the fail-fast request above):");
		this.out.println("  java -jar " + examplesJar() + " --spring.application.name=inventory"
				+ " --isolation.group=feature-cart --spring.cloud.zookeeper.connect-string=" + zk);
	}

	/** Closes the instances, newest first, then Kafka, then ZooKeeper. Safe to call twice. */
	@Override
	public void close() {
		synchronized (this.instances) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			for (int i = this.instances.size() - 1; i >= 0; i--) {
				try {
					this.instances.get(i).context().close();
				}
				catch (RuntimeException ex) {
					// Closing the others matters more than why this one did not close cleanly.
				}
			}
			this.instances.clear();
		}
		if (this.kafka != null) {
			this.kafka.destroy();
		}
		if (this.zookeeper != null) {
			try {
				this.zookeeper.close();
			}
			catch (IOException ex) {
				// The server's temporary directory may be left behind; nothing else to do.
			}
		}
		// Applications started later in this JVM (a test's) configure their own logging again.
		if (this.loggingConfigured && this.loggingSystemBefore != null) {
			System.setProperty(LoggingSystem.SYSTEM_PROPERTY, this.loggingSystemBefore);
		}
		else if (this.loggingConfigured) {
			System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
		}
	}

	/** The command-line tool's jar, as built by isolation-zk-registry, found from here if it can be. */
	private static String cliJar() {
		String jar = "isolation-zk-registry/target/isolation-zk-registry-0.1.0-SNAPSHOT-cli.jar";
		for (Path root : List.of(Path.of(""), Path.of(".."))) {
			if (Files.isRegularFile(root.resolve(jar))) {
				return root.resolve(jar).toAbsolutePath().normalize().toString();
			}
		}
		return jar;
	}

	private static String examplesJar() {
		Path jar = Path.of("examples/target/isolation-examples.jar");
		return Files.isRegularFile(jar) ? jar.toString() : "isolation-examples.jar";
	}

	private static int parsePort(String value) {
		try {
			int port = Integer.parseInt(value);
			return (port >= 1 && port <= 65535) ? port : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A running instance of an example service. */
	private record Instance(String service, String group, int port, ConfigurableApplicationContext context) {

		String name() {
			return this.service + "@" + this.group;
		}

	}

	/** What the demo does before a request: {@code null} when done, else why it failed. */
	@FunctionalInterface
	private interface Step {

		String run();

	}

	/**
	 * A request of the demo.
	 * @param title what it shows
	 * @param before what changes first
	 * @param headers header names and values, alternating
	 * @param expected the route it must take; for an error ("HTTP 502: ..."), how the answer begins
	 * @param record the route its order's record must take, or {@link #NO_RECORD}
	 */
	private record Case(String title, Step before, List<String> headers, String expected, String record) {

		boolean error() {
			return this.expected.startsWith(FAILED);
		}

		String headersText() {
			if (this.headers.isEmpty()) {
				return "(none)";
			}
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < this.headers.size(); i += 2) {
				text.append((i > 0) ? ", " : "").append(this.headers.get(i)).append(": ").append(this.headers.get(i + 1));
			}
			return text.toString();
		}

	}

	/**
	 * What a request answered.
	 * @param c the request
	 * @param status its HTTP status, 0 when it could not be sent
	 * @param body the route, after {@code HTTP status:} when not 200
	 * @param after how long after the request's step it answered so
	 * @param order the order the request placed, empty when none was sent
	 * @param record where the order's record went, {@link #NO_RECORD} when nowhere
	 */
	private record Row(Case c, int status, String body, Duration after, String order, String record) {

		boolean ok() {
			return routeOk() && this.record.equals(this.c.record());
		}

		boolean routeOk() {
			return this.c.error() ? this.body.startsWith(this.c.expected()) : this.body.equals(this.c.expected());
		}

		Row withRecord(String record) {
			return new Row(this.c, this.status, this.body, this.after, this.order, record);
		}

	}

	/** ZooKeeper, Kafka or an instance did not start; the message says which and why, in one line. */
	private static final class StartupException extends Exception {

		StartupException(String message) {
			super(message);
		}

	}

}
