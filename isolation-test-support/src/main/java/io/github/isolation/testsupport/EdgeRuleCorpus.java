package io.github.isolation.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one corpus of requests that every edge must decide alike (the servlet edge, the WebFlux
 * edge, Spring Cloud Gateway on both servers): the rules to write to ZooKeeper, and each request
 * with the group it must reach and the rule that must colour it. See
 * {@code edge-rules-corpus.txt} beside this class.
 */
public final class EdgeRuleCorpus {

	private static final Pattern RULE_IN_ROUTE = Pattern.compile("\\[rule:([a-z0-9._-]+)]");

	/** The rules, each as the JSON of one node. */
	private final List<String> rules;

	private final List<Request> requests;

	private EdgeRuleCorpus(List<String> rules, List<Request> requests) {
		this.rules = List.copyOf(rules);
		this.requests = List.copyOf(requests);
	}

	/**
	 * One request and the decision every edge must give it.
	 * @param name what it shows
	 * @param from the local address to send from
	 * @param query the query without {@code ?}, or {@code null}
	 * @param headers header names and values, alternating
	 * @param group the group the request must reach behind the edge
	 * @param rule the rule that must colour it, or {@code null} for none
	 */
	public record Request(String name, String from, String query, String[] headers, String group, String rule) {

		/**
		 * The path to request.
		 * @param path the edge's path to the chain, such as {@code /b/hop}, with a query of its
		 * own or not
		 * @return the path with the request's query added
		 */
		public String pathAndQuery(String path) {
			if (this.query == null) {
				return path;
			}
			return path + ((path.indexOf('?') >= 0) ? "&" : "?") + this.query;
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * Reads the corpus.
	 * @return the corpus
	 */
	public static EdgeRuleCorpus load() {
		List<String> rules = new ArrayList<>();
		List<Request> requests = new ArrayList<>();
		try (InputStream in = EdgeRuleCorpus.class.getResourceAsStream("edge-rules-corpus.txt");
				BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("rule ")) {
					rules.add(line.substring(5).strip());
				}
				else if (line.startsWith("request ")) {
					requests.add(request(line.substring(8)));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new EdgeRuleCorpus(rules, requests);
	}

	/**
	 * The rules, each as the JSON of one node.
	 * @return the rules
	 */
	public List<String> rules() {
		return this.rules;
	}

	/**
	 * The requests.
	 * @return the requests
	 */
	public List<Request> requests() {
		return this.requests;
	}

	/**
	 * The rule an edge names in its {@code isolation-route} entry.
	 * @param route the header's value, may be {@code null}
	 * @return the rule's id, or {@code null} if the route names none
	 */
	public static String ruleIn(String route) {
		if (route == null) {
			return null;
		}
		Matcher matcher = RULE_IN_ROUTE.matcher(route);
		return matcher.find() ? matcher.group(1) : null;
	}

	private static Request request(String line) {
		String[] columns = line.split("\\|", -1);
		if (columns.length != 6) {
			throw new IllegalStateException("A corpus request must have 6 columns, but was: " + line);
		}
		String query = dash(columns[2].strip());
		String headerColumn = dash(columns[3].strip());
		List<String> headers = new ArrayList<>();
		if (headerColumn != null) {
			// "cookie: a=b; beta=yes" is one header whose value has a ';' of its own.
			if (headerColumn.toLowerCase(java.util.Locale.ROOT).startsWith("cookie:")) {
				headers.add("cookie");
				headers.add(headerColumn.substring(7).strip());
			}
			else {
				for (String header : headerColumn.split(";")) {
					int colon = header.indexOf(':');
					headers.add(header.substring(0, colon).strip());
					headers.add(header.substring(colon + 1).strip());
				}
			}
		}
		return new Request(columns[0].strip(), columns[1].strip(), query, headers.toArray(new String[0]),
				columns[4].strip(), dash(columns[5].strip()));
	}

	private static String dash(String value) {
		return "-".equals(value) ? null : value;
	}

}
