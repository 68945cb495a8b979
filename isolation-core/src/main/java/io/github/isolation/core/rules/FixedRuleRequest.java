package io.github.isolation.core.rules;

import java.util.Map;

/**
 * A request given as values rather than read from a server: what the command line's and the
 * console's "which rule would this request get" evaluate.
 *
 * @param headers header values by lower-case name
 * @param cookies cookie values by name
 * @param query query parameter values by name
 * @param path the path
 * @param method the method, in upper case
 * @param sourceAddress the caller's address, or {@code null}
 * @since 0.1.0
 */
public record FixedRuleRequest(Map<String, String> headers, Map<String, String> cookies, Map<String, String> query,
		String path, String method, String sourceAddress) implements RuleRequest {

	@Override
	public String header(String lowerCaseName) {
		return this.headers.get(lowerCaseName);
	}

	@Override
	public String cookie(String name) {
		return this.cookies.get(name);
	}

	@Override
	public String queryParameter(String name) {
		return this.query.get(name);
	}

}
