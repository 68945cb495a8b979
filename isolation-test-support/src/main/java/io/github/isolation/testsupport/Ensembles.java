package io.github.isolation.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import org.apache.curator.test.InstanceSpec;

/**
 * The servers of a ZooKeeper ensemble for Curator's {@code TestingCluster}, on ports that
 * differ from each other.
 *
 * <p>Left to pick them itself, {@code InstanceSpec} asks the system for a free port once per
 * port and lets it go at once, so two of an ensemble's nine ports can be the same one, and the
 * cluster then fails to start. Here every port is held until all are picked.
 */
public final class Ensembles {

	private Ensembles() {
	}

	/**
	 * Specs for an ensemble on loopback, each server with a data directory of its own that is
	 * deleted on close.
	 * @param size the number of servers
	 * @param tickMs ZooKeeper's tick, or {@code -1} for its default
	 * @return the specs, with server ids 1 to {@code size}
	 */
	public static List<InstanceSpec> specs(int size, int tickMs) {
		List<ServerSocket> held = new ArrayList<>();
		try {
			for (int i = 0; i < 3 * size; i++) {
				held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
			}
			List<InstanceSpec> specs = new ArrayList<>(size);
			for (int server = 0; server < size; server++) {
				specs.add(new InstanceSpec(null, held.get(3 * server).getLocalPort(),
						held.get(3 * server + 1).getLocalPort(), held.get(3 * server + 2).getLocalPort(), true,
						server + 1, tickMs, -1));
			}
			return specs;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find free ports for a ZooKeeper ensemble", ex);
		}
		finally {
			for (ServerSocket socket : held) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// Only a port reserved for a moment.
				}
			}
		}
	}

}
