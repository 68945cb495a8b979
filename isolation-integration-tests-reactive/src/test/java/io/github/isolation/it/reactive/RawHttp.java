package io.github.isolation.it.reactive;

import io.github.isolation.it.reactive.ReactiveChain.Instance;
import io.github.isolation.it.reactive.ReactiveChain.Reply;
import io.github.isolation.testsupport.SocketHttp;

/** Calls an instance from a chosen local address, header values byte for byte. */
final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Sends {@code GET /hop?via=instrumented} and reads the whole response.
	 * @param from the local address to send from, such as {@code 127.0.0.2}
	 * @param to the instance to call
	 * @param headers header names and values, alternating; values are written as UTF-8
	 * @return the status and body
	 */
	static Reply hop(String from, Instance to, String... headers) {
		return get(from, to, "/hop?via=instrumented", headers);
	}

	/**
	 * Sends {@code GET /hop?via=instrumented} and reads the response's status line and headers.
	 * @param from the local address to send from
	 * @param to the instance to call
	 * @param headers header names and values, alternating
	 * @return the head of the response, in lower case
	 */
	static String head(String from, Instance to, String... headers) {
		return SocketHttp.get(from, to.port(), "/hop?via=instrumented", headers).head();
	}

	/**
	 * Sends {@code GET} for a path and reads the whole response.
	 * @param from the local address to send from
	 * @param to the instance to call
	 * @param path the path and query
	 * @param headers header names and values, alternating; values are written as UTF-8
	 * @return the status and body
	 */
	static Reply get(String from, Instance to, String path, String... headers) {
		SocketHttp.Response response = SocketHttp.get(from, to.port(), path, headers);
		return new Reply(response.status(), response.body());
	}

}
