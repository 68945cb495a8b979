package io.github.isolation.testsupport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on a plain socket, for what Java 17's {@code HttpClient} cannot do:
 * bind a chosen local address (such as 127.0.0.2, a second loopback address standing for another
 * machine) and send header values byte for byte, control characters included.
 */
public final class SocketHttp {

	/**
	 * A response.
	 * @param status the status code
	 * @param head the status line and headers, in lower case
	 * @param body the body, decoded as UTF-8 (and de-chunked)
	 */
	public record Response(int status, String head, String body) {
	}

	private SocketHttp() {
	}

	/**
	 * Sends a {@code GET} to a server on 127.0.0.1 and reads the whole response.
	 * @param from the local address to send from, such as {@code 127.0.0.2}
	 * @param port the server's port on 127.0.0.1
	 * @param path the path and query
	 * @param headers header names and values, alternating; values are written as UTF-8
	 * @return the response
	 */
	public static Response get(String from, int port, String path, String... headers) {
		StringBuilder request = new StringBuilder("GET ").append(path)
			.append(" HTTP/1.1\r\n")
			.append("Host: 127.0.0.1:")
			.append(port)
			.append("\r\n")
			.append("Connection: close\r\n");
		for (int i = 0; i < headers.length; i += 2) {
			request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
		}
		request.append("\r\n");
		try (Socket socket = new Socket()) {
			socket.setSoTimeout(30_000);
			socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
			socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			return parse(socket.getInputStream().readAllBytes());
		}
		catch (IOException ex) {
			throw new IllegalStateException("GET " + path + " from " + from + " to 127.0.0.1:" + port + " failed", ex);
		}
	}

	private static Response parse(byte[] response) throws IOException {
		String text = new String(response, StandardCharsets.ISO_8859_1);
		int headersEnd = text.indexOf("\r\n\r\n");
		if (!text.startsWith("HTTP/1.1 ") || headersEnd < 0) {
			throw new IOException("Not an HTTP/1.1 response: " + text);
		}
		int status = Integer.parseInt(text.substring(9, 12));
		String head = text.substring(0, headersEnd).toLowerCase(Locale.ROOT);
		byte[] body = Arrays.copyOfRange(response, headersEnd + 4, response.length);
		if (head.contains("\r\ntransfer-encoding: chunked")) {
			body = dechunk(body);
		}
		return new Response(status, head, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] dechunk(byte[] chunked) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		InputStream in = new ByteArrayInputStream(chunked);
		while (true) {
			StringBuilder size = new StringBuilder();
			for (int c = in.read(); c != '\n'; c = in.read()) {
				if (c < 0) {
					throw new IOException("Truncated chunked body");
				}
				if (c != '\r') {
					size.append((char) c);
				}
			}
			int length = Integer.parseInt(size.toString().split(";")[0].strip(), 16);
			if (length == 0) {
				return body.toByteArray();
			}
			body.write(in.readNBytes(length));
			in.skip(2);
		}
	}

}
