package io.github.isolation.core.rules;

/**
 * What the rules read of a request entering the system, whatever the web stack: the servlet
 * edge, the WebFlux edge and Spring Cloud Gateway each adapt their request to this.
 *
 * <p>The rules ask only for what they need, when they need it, so an adapter should read
 * lazily and allocate nothing it does not have to.
 *
 * @since 0.1.0
 */
public interface RuleRequest {

	/**
	 * The first value of a header.
	 * @param lowerCaseName the header's name in lower case; headers match ignoring case
	 * @return the value, or {@code null} if absent
	 */
	String header(String lowerCaseName);

	/**
	 * The first value of a cookie.
	 * @param name the cookie's name
	 * @return the value, or {@code null} if absent
	 */
	String cookie(String name);

	/**
	 * The first value of a query parameter, decoded.
	 * @param name the parameter's name
	 * @return the value (empty for {@code ?name}), or {@code null} if absent
	 */
	String queryParameter(String name);

	/**
	 * The request's path, without the query, as received.
	 * @return such as {@code /orders/42}
	 */
	String path();

	/**
	 * The request's method.
	 * @return such as {@code GET}
	 */
	String method();

	/**
	 * The caller's address, through trusted proxies.
	 * @return an IP address literal, or {@code null} if unknown
	 */
	String sourceAddress();

}
