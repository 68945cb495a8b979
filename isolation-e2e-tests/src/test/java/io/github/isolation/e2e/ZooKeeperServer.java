package io.github.isolation.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

import static org.awaitility.Awaitility.await;

/**
 * ZooKeeper as a server of its own, in a container run by Testcontainers with host networking:
 * it listens on {@code 127.0.0.1:port} of this machine, no bridge address involved.
 *
 * <p>The image is the system property {@value #IMAGE_PROPERTY}, default {@value #DEFAULT_IMAGE}
 * (the official image). The port is {@value #PORT_PROPERTY} if set; else a free port for the
 * project's own images ({@code isolation/...}, which honour {@code ZOO_PORT}), and 2181 for any
 * other image, since the official one listens on 2181 whatever {@code ZOO_PORT} says.
 */
final class ZooKeeperServer implements AutoCloseable {

	static final String IMAGE_PROPERTY = "isolation.e2e.zookeeper-image";

	static final String PORT_PROPERTY = "isolation.e2e.zookeeper-port";

	static final String IMAGE_VARIABLE = "ISOLATION_E2E_ZOOKEEPER_IMAGE";

	static final String DEFAULT_IMAGE = "zookeeper:3.9";

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private final String image;

	private final int port;

	private final GenericContainer<?> container;

	private ZooKeeperServer(String image, int port) {
		this.image = image;
		this.port = port;
		this.container = new GenericContainer<>(DockerImageName.parse(image)).withNetworkMode("host")
			.withEnv("ZOO_PORT", String.valueOf(port))
			// The official image: no admin server on 8080 of the host, and the words we ask.
			.withEnv("ZOO_ADMINSERVER_ENABLED", "false")
			.withEnv("ZOO_4LW_COMMANDS_WHITELIST", "ruok,srvr,stat")
			.waitingFor(new AbstractWaitStrategy() {
				@Override
				protected void waitUntilReady() {
					awaitServing(READY_TIMEOUT);
				}
			})
			.withStartupTimeout(READY_TIMEOUT);
	}

	/**
	 * The image to run: the system property, else the environment variable
	 * {@value #IMAGE_VARIABLE} (which .ci/run sets to the image it builds), else the default.
	 * @return the image name
	 */
	static String configuredImage() {
		String configured = System.getProperty(IMAGE_PROPERTY, "").strip();
		if (configured.isEmpty()) {
			configured = System.getenv().getOrDefault(IMAGE_VARIABLE, "").strip();
		}
		return configured.isEmpty() ? DEFAULT_IMAGE : configured;
	}

	/**
	 * Whether the image is there to run without pulling: pulling would hang on a machine
	 * that reaches no image registry.
	 * @param image the image name
	 * @return {@code true} if the Docker daemon has the image
	 */
	static boolean isPresentLocally(String image) {
		try {
			DockerClientFactory.instance().client().inspectImageCmd(image).exec();
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	static ZooKeeperServer start(String image) {
		String configured = System.getProperty(PORT_PROPERTY, "").strip();
		int port = !configured.isEmpty() ? Integer.parseInt(configured)
				: image.startsWith("isolation/") ? Ports.free() : 2181;
		ZooKeeperServer server = new ZooKeeperServer(image, port);
		server.container.start();
		return server;
	}

	String connectString() {
		return "127.0.0.1:" + this.port;
	}

	String image() {
		return this.image;
	}

	/** Stops the container (SIGTERM), keeping it and its data. */
	void stop() {
		this.container.getDockerClient().stopContainerCmd(this.container.getContainerId()).withTimeout(10).exec();
	}

	/** Starts the same container again, with the data it had, and waits until it serves. */
	void restart() {
		this.container.getDockerClient().startContainerCmd(this.container.getContainerId()).exec();
		awaitServing(READY_TIMEOUT);
	}

	boolean serving() {
		return "imok".equals(fourLetterWord("ruok"));
	}

	private void awaitServing(Duration timeout) {
		await("ZooKeeper (" + this.image + ") answering ruok on " + connectString()).atMost(timeout)
			.pollInterval(Duration.ofMillis(200))
			.until(this::serving);
	}

	private String fourLetterWord(String word) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write(word.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** Writes the container's log to a file and removes the container. */
	@Override
	public void close() {
		try {
			if (this.container.getContainerId() != null) {
				Files.writeString(Path.of("target", "e2e-logs", "zookeeper.log"), this.container.getLogs());
			}
		}
		catch (IOException | RuntimeException ex) {
			// The log is a help, not a result.
		}
		this.container.stop();
	}

}
