package io.github.isolation.core.rules;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

// A request with given parts, for the rules' tests.
final class TestRequest implements RuleRequest {

	final Map<String, String> headers = new HashMap<>();

	final Map<String, String> cookies = new HashMap<>();

	final Map<String, String> query = new HashMap<>();

	String path = "/";

	String method = "GET";

	String source = "192.0.2.1";

	static TestRequest get(String path) {
		TestRequest request = new TestRequest();
		request.path = path;
		return request;
	}

	TestRequest header(String name, String value) {
		this.headers.put(name.toLowerCase(Locale.ROOT), value);
		return this;
	}

	TestRequest cookie(String name, String value) {
		this.cookies.put(name, value);
		return this;
	}

	TestRequest query(String name, String value) {
		this.query.put(name, value);
		return this;
	}

	TestRequest method(String method) {
		this.method = method;
		return this;
	}

	TestRequest from(String source) {
		this.source = source;
		return this;
	}

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

	@Override
	public String path() {
		return this.path;
	}

	@Override
	public String method() {
		return this.method;
	}

	@Override
	public String sourceAddress() {
		return this.source;
	}

}
