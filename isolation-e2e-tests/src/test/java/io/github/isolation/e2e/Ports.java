package io.github.isolation.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free loopback ports, for processes that must be told their port before they start. Several
 * are picked before any process binds its own, and the system may offer a port it offered a
 * moment ago: none is handed out twice.
 */
final class Ports {

	private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

	private Ports() {
	}

	static int free() {
		while (true) {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				socket.setReuseAddress(true);
				if (GIVEN.add(socket.getLocalPort())) {
					return socket.getLocalPort();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("no free loopback port", ex);
			}
		}
	}

}
