package io.github.isolation.benchmarks.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A real ZooKeeper server ({@link TestingServer}) in a process of its own, so that the heap it
 * uses is not counted as the client's. Prints {@code READY <connect string>} once serving and
 * stops when its standard input closes, which it does when the process that started it exits.
 */
public final class StandaloneZookeeper {

	private StandaloneZookeeper() {
	}

	public static void main(String[] args) throws Exception {
		Path dataDir = Files.createTempDirectory("isolation-bench-zk");
		// mntr and srst for the harnesses that read the server's own figures.
		System.setProperty("zookeeper.4lw.commands.whitelist", "mntr,srst,ruok");
		// Hundreds of clients from one address: lift the default limit of 60 connections per address.
		InstanceSpec spec = new InstanceSpec(dataDir.toFile(), -1, -1, -1, true, -1, -1, 1000);
		try (TestingServer server = new TestingServer(spec, true)) {
			System.out.println("READY " + server.getConnectString());
			System.out.flush();
			awaitEndOfInput(System.in);
		}
	}

	private static void awaitEndOfInput(InputStream in) throws IOException {
		byte[] buffer = new byte[256];
		while (in.read(buffer) >= 0) {
			// Nothing to do: the input only tells when to stop.
		}
	}

}
