package io.github.isolation.it.gateway;

import io.github.isolation.testsupport.SocketHttp;

/** Calls an application from a chosen local address (such as 127.0.0.2, a caller the edge does not trust). */
final class RawHttp {

	/** A response: its status and body. */
	record Reply(int status, String body) {
	}

	private RawHttp() {
	}

	/**
	 * Sends a {@code GET} and reads the whole response.
	 * @param from the local address to send from, such as {@code 127.0.0.1}
	 * @param to the application to call
	 * @param path the path
	 * @param headers header names and values, alternating
	 * @return the status and body
	 */
	static Reply get(String from, Apps.App to, String path, String... headers) {
		SocketHttp.Response response = SocketHttp.get(from, to.port(), path, headers);
		return new Reply(response.status(), response.body());
	}

}
