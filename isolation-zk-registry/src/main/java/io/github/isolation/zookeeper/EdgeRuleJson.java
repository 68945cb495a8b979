package io.github.isolation.zookeeper;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.EdgeRuleFields;
import io.github.isolation.core.rules.RuleValidationException;

/**
 * One edge rule as the UTF-8 JSON document its node holds (see {@link EdgeRuleFields} for the
 * fields). A strict reader of RFC 8259 JSON, small on purpose so that the registry needs no JSON
 * library: one document of at most {@value #MAX_BYTES} bytes, objects nested at most
 * {@value #MAX_DEPTH} deep, no duplicate names, nothing after the document. Every failure is a
 * {@link RuleValidationException} naming the field, or {@code json} when the text is not JSON.
 *
 * @since 0.1.0
 */
public final class EdgeRuleJson {

	/** The largest document read: far above any real rule, far below ZooKeeper's 1 MB node limit. */
	public static final int MAX_BYTES = 64 * 1024;

	/** The deepest nesting read; a rule needs four. */
	public static final int MAX_DEPTH = 16;

	private EdgeRuleJson() {
	}

	/**
	 * Reads a rule from a node's data.
	 * @param data the UTF-8 bytes, may be {@code null}
	 * @return the rule
	 * @throws RuleValidationException if the data is not a valid rule, naming the field
	 */
	public static EdgeRule read(byte[] data) {
		if (data == null || data.length == 0) {
			throw new RuleValidationException("json", "must be a JSON object, but was empty");
		}
		if (data.length > MAX_BYTES) {
			throw new RuleValidationException("json", "must be at most " + MAX_BYTES + " bytes, but was "
					+ data.length);
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(data))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new RuleValidationException("json", "must be UTF-8, but was not");
		}
		return read(text);
	}

	/**
	 * Reads a rule from JSON text.
	 * @param json the text
	 * @return the rule
	 * @throws RuleValidationException if the text is not a valid rule, naming the field
	 */
	public static EdgeRule read(String json) {
		if (json == null) {
			throw new RuleValidationException("json", "must be a JSON object, but was missing");
		}
		if (json.length() > MAX_BYTES) {
			throw new RuleValidationException("json", "must be at most " + MAX_BYTES + " characters, but was "
					+ json.length());
		}
		Object tree = new Parser(json).document();
		if (!(tree instanceof Map<?, ?>)) {
			throw new RuleValidationException("json", "must be a JSON object, but was " + describe(tree));
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> fields = (Map<String, ?>) tree;
		return EdgeRuleFields.fromFields(fields);
	}

	/**
	 * Writes a rule as indented JSON, fields in the order a person reads them.
	 * @param rule the rule
	 * @return the JSON text, ending with a newline
	 */
	public static String write(EdgeRule rule) {
		StringBuilder out = new StringBuilder(256);
		write(out, EdgeRuleFields.toFields(rule), 0);
		return out.append('\n').toString();
	}

	/**
	 * Writes a rule as its node's data.
	 * @param rule the rule
	 * @return UTF-8 bytes
	 */
	public static byte[] encode(EdgeRule rule) {
		return write(rule).getBytes(StandardCharsets.UTF_8);
	}

	private static void write(StringBuilder out, Object value, int indent) {
		if (value instanceof Map<?, ?> map) {
			if (map.isEmpty()) {
				out.append("{}");
				return;
			}
			out.append("{\n");
			int i = 0;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				out.append("  ".repeat(indent + 1));
				string(out, entry.getKey().toString());
				out.append(": ");
				write(out, entry.getValue(), indent + 1);
				out.append((++i < map.size()) ? ",\n" : "\n");
			}
			out.append("  ".repeat(indent)).append('}');
		}
		else if (value instanceof List<?> list) {
			boolean scalars = list.stream().noneMatch((item) -> item instanceof Map || item instanceof List);
			if (scalars) {
				out.append('[');
				for (int i = 0; i < list.size(); i++) {
					write(out, list.get(i), indent);
					if (i + 1 < list.size()) {
						out.append(", ");
					}
				}
				out.append(']');
				return;
			}
			out.append("[\n");
			for (int i = 0; i < list.size(); i++) {
				out.append("  ".repeat(indent + 1));
				write(out, list.get(i), indent + 1);
				out.append((i + 1 < list.size()) ? ",\n" : "\n");
			}
			out.append("  ".repeat(indent)).append(']');
		}
		else if (value instanceof String text) {
			string(out, text);
		}
		else if (value instanceof BigDecimal decimal) {
			out.append(decimal.toPlainString());
		}
		else {
			out.append(value);
		}
	}

	private static void string(StringBuilder out, String text) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20 || c == 0x2028 || c == 0x2029) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	private static String describe(Object value) {
		if (value instanceof List) {
			return "an array";
		}
		return (value instanceof String) ? "a string" : String.valueOf(value);
	}

	// A recursive-descent reader of RFC 8259 JSON into maps, lists, strings, BigDecimals,
	// booleans and null.
	private static final class Parser {

		private final String text;

		private int at;

		private int depth;

		Parser(String text) {
			this.text = text;
		}

		Object document() {
			skipWhitespace();
			Object value = value();
			skipWhitespace();
			if (this.at < this.text.length()) {
				throw error("must end after the document, but has more at character " + (this.at + 1));
			}
			return value;
		}

		private Object value() {
			if (this.at >= this.text.length()) {
				throw error("must be complete JSON, but ended early");
			}
			char c = this.text.charAt(this.at);
			return switch (c) {
				case '{' -> object();
				case '[' -> array();
				case '"' -> string();
				case 't' -> literal("true", Boolean.TRUE);
				case 'f' -> literal("false", Boolean.FALSE);
				case 'n' -> literal("null", null);
				default -> {
					if (c == '-' || (c >= '0' && c <= '9')) {
						yield number();
					}
					throw unexpected("a value");
				}
			};
		}

		private Map<String, Object> object() {
			enter();
			this.at++;
			Map<String, Object> map = new LinkedHashMap<>();
			skipWhitespace();
			if (peek() == '}') {
				this.at++;
				this.depth--;
				return map;
			}
			while (true) {
				skipWhitespace();
				if (peek() != '"') {
					throw unexpected("a field name in quotes");
				}
				int nameAt = this.at;
				String name = string();
				skipWhitespace();
				expect(':');
				skipWhitespace();
				Object value = value();
				if (map.containsKey(name)) {
					this.at = nameAt;
					throw error("must not repeat the field " + io.github.isolation.core.LogSafe.quote(name)
							+ ", but does at character " + (nameAt + 1));
				}
				map.put(name, value);
				skipWhitespace();
				char next = peek();
				this.at++;
				if (next == '}') {
					this.depth--;
					return map;
				}
				if (next != ',') {
					this.at--;
					throw unexpected("',' or '}'");
				}
			}
		}

		private List<Object> array() {
			enter();
			this.at++;
			List<Object> list = new ArrayList<>();
			skipWhitespace();
			if (peek() == ']') {
				this.at++;
				this.depth--;
				return list;
			}
			while (true) {
				skipWhitespace();
				list.add(value());
				skipWhitespace();
				char next = peek();
				this.at++;
				if (next == ']') {
					this.depth--;
					return list;
				}
				if (next != ',') {
					this.at--;
					throw unexpected("',' or ']'");
				}
			}
		}

		private String string() {
			this.at++;
			StringBuilder out = new StringBuilder();
			while (true) {
				if (this.at >= this.text.length()) {
					throw error("must close every string, but ended inside one");
				}
				char c = this.text.charAt(this.at++);
				if (c == '"') {
					return out.toString();
				}
				if (c < 0x20) {
					this.at--;
					throw unexpected("a character of a string (control characters must be escaped)");
				}
				if (c != '\\') {
					out.append(c);
					continue;
				}
				if (this.at >= this.text.length()) {
					throw error("must close every string, but ended inside one");
				}
				char escaped = this.text.charAt(this.at++);
				switch (escaped) {
					case '"', '\\', '/' -> out.append(escaped);
					case 'b' -> out.append('\b');
					case 'f' -> out.append('\f');
					case 'n' -> out.append('\n');
					case 'r' -> out.append('\r');
					case 't' -> out.append('\t');
					case 'u' -> {
						if (this.at + 4 > this.text.length()) {
							throw error("must have four hex digits after \\u at character " + this.at);
						}
						int code = 0;
						for (int i = 0; i < 4; i++) {
							int digit = Character.digit(this.text.charAt(this.at++), 16);
							if (digit < 0) {
								throw error("must have four hex digits after \\u at character " + (this.at - i - 1));
							}
							code = code * 16 + digit;
						}
						out.append((char) code);
					}
					default -> {
						this.at--;
						throw unexpected("an escape (one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
					}
				}
			}
		}

		private BigDecimal number() {
			int start = this.at;
			if (peek() == '-') {
				this.at++;
			}
			if (peek() == '0') {
				this.at++;
			}
			else if (!digits()) {
				throw unexpected("a digit");
			}
			if (peek() == '.') {
				this.at++;
				if (!digits()) {
					throw unexpected("a digit after the decimal point");
				}
			}
			if (peek() == 'e' || peek() == 'E') {
				this.at++;
				if (peek() == '+' || peek() == '-') {
					this.at++;
				}
				if (!digits()) {
					throw unexpected("a digit of the exponent");
				}
			}
			String number = this.text.substring(start, this.at);
			if (number.length() > 40) {
				throw error("must hold numbers of at most 40 characters, but one at character " + (start + 1)
						+ " has " + number.length());
			}
			BigDecimal value = new BigDecimal(number);
			if (Math.abs(value.scale()) > 100) {
				throw error("must hold numbers of a sane scale, but one at character " + (start + 1) + " has not");
			}
			return value;
		}

		private boolean digits() {
			int start = this.at;
			while (this.at < this.text.length() && this.text.charAt(this.at) >= '0' && this.text.charAt(this.at) <= '9') {
				this.at++;
			}
			return this.at > start;
		}

		private Object literal(String word, Object value) {
			if (!this.text.startsWith(word, this.at)) {
				throw unexpected("a value");
			}
			this.at += word.length();
			return value;
		}

		private void enter() {
			if (++this.depth > MAX_DEPTH) {
				throw error("must nest at most " + MAX_DEPTH + " deep, but nests deeper at character " + (this.at + 1));
			}
		}

		private void expect(char c) {
			if (peek() != c) {
				throw unexpected("'" + c + "'");
			}
			this.at++;
		}

		private char peek() {
			return (this.at < this.text.length()) ? this.text.charAt(this.at) : '\0';
		}

		private void skipWhitespace() {
			while (this.at < this.text.length()) {
				char c = this.text.charAt(this.at);
				if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
					return;
				}
				this.at++;
			}
		}

		private RuleValidationException unexpected(String expected) {
			if (this.at >= this.text.length()) {
				return error("must be complete JSON, but ended where " + expected + " was expected");
			}
			return error("must be JSON, but has " + io.github.isolation.core.LogSafe.quote(
					String.valueOf(this.text.charAt(this.at))) + " at character " + (this.at + 1) + " where "
					+ expected + " was expected");
		}

		private RuleValidationException error(String problem) {
			return new RuleValidationException("json", problem);
		}

	}

}
