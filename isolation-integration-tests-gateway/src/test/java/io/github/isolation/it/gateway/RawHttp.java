package io.github.isolation.it.gateway;

import io.github.isolation.testsupport.SocketHttp;

/** Calls an application from a chosen local address (such as 127.0.0.2, a caller the edge does not trust). */
final class RawHttp {

	/** A response: its status and body. */
	record Reply(int status, String body) {
	}

	/** A response with its head: status line and headers, in lower case. */
	record FullReply(int status, String head, String body) {

		/**
		 * One header's value.
		 * @param name the header's name, in lower case
		 * @return its first value, or {@code null} if absent
		 */
		String header(String name) {
			for (String line : this.head.split("\r\n")) {
				if (line.startsWith(name + ":")) {
					return line.substring(name.length() + 1).strip();
				}
			}
			return null;
		}

	}

	private RawHttp() {
	}

	/**
	 * Sends a {@code GET} and reads the whole response, head included.
	 * @param from the local address to send from
	 * @param to the application to call
	 * @param path the path
	 * @param headers header names and values, alternating
	 * @return the status, head and body
	 */
	static FullReply getWithHead(String from, Apps.App to, String path, String... headers) {
		SocketHttp.Response response = SocketHttp.get(from, to.port(), path, headers);
		return new FullReply(response.status(), response.head(), response.body());
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
