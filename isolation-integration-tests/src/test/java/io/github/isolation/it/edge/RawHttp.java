package io.github.isolation.it.edge;

import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.testsupport.SocketHttp;

/** Calls {@code /hop} from a chosen local address, header values byte for byte. */
final class RawHttp {

	private static final String HOP = "/hop?via=resttemplate";

	private RawHttp() {
	}

	/**
	 * Sends {@code GET /hop?via=resttemplate} and reads the whole response.
	 * @param from the local address to send from, such as {@code 127.0.0.2}
	 * @param to the instance to call
	 * @param headers header names and values, alternating; values are written as UTF-8
	 * @return the status and body
	 */
	static Reply hop(String from, Instance to, String... headers) {
		SocketHttp.Response response = SocketHttp.get(from, to.port(), HOP, headers);
		return new Reply(response.status(), response.body());
	}

	/**
	 * Sends {@code GET /hop?via=resttemplate} and reads the response's status line and headers.
	 * @param from the local address to send from
	 * @param to the instance to call
	 * @param headers header names and values, alternating
	 * @return the head of the response, in lower case
	 */
	static String head(String from, Instance to, String... headers) {
		return SocketHttp.get(from, to.port(), HOP, headers).head();
	}

}
