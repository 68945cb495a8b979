package io.github.isolation.autoconfigure.edge;

import java.util.List;

/**
 * What the edge reads of an incoming request, whatever the web stack: a servlet request or a
 * reactive one.
 *
 * @since 0.1.0
 */
public interface EdgeRequest {

	/**
	 * The address of the peer that opened the connection.
	 * @return its IP address literal, or {@code null} if unknown
	 */
	String remoteAddress();

	/**
	 * Every value of a header.
	 * @param name the header's name, matched ignoring case
	 * @return the values in the order received, empty if absent
	 */
	List<String> headers(String name);

	/**
	 * Every value of a cookie.
	 * @param name the cookie's name
	 * @return the values in the order received, empty if absent
	 */
	List<String> cookies(String name);

	/**
	 * The request's path, without the query, as received (not decoded).
	 * @return the path, or {@code null} if unknown
	 */
	default String path() {
		return null;
	}

	/**
	 * The request's method.
	 * @return such as {@code GET}, or {@code null} if unknown
	 */
	default String method() {
		return null;
	}

	/**
	 * The request's query, as received (not decoded), for the rules' {@code query} conditions.
	 * @return the query without the {@code ?}, or {@code null} if there is none
	 */
	default String rawQuery() {
		return null;
	}

}
