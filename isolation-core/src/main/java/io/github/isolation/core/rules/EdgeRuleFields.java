package io.github.isolation.core.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.isolation.core.IsolationGroup;

/**
 * Converts a rule to and from the fields of its JSON document, as a tree of {@link Map}s (JSON
 * objects), {@link List}s (arrays), {@link String}s, {@link Number}s and {@link Boolean}s, so that
 * any JSON reader can feed it and the validation lives in one place. Strict: an unknown field, a
 * field of the wrong type or a value that is not valid fails with a
 * {@link RuleValidationException} naming the field by its path ({@code match.all[0].op}).
 *
 * <pre>
 * { "id": "canary-users", "group": "feature-x", "priority": 10, "enabled": true,
 *   "match": { "all": [ { "source": "header", "name": "x-app", "op": "in", "values": ["ios", "android"] } ] },
 *   "split": { "key": "header:x-user-id", "percent": 10.0, "salt": "canary-users" } }
 * </pre>
 *
 * <p>A condition takes its values as {@code values} (a list) or, for one value, {@code value};
 * {@code enabled} defaults to true, {@code priority} to 0, {@code split.salt} to the id.
 *
 * @since 0.1.0
 */
public final class EdgeRuleFields {

	private static final Set<String> RULE_FIELDS = Set.of("id", "group", "priority", "enabled", "match", "split");

	private static final Set<String> CONDITION_FIELDS = Set.of("source", "name", "op", "value", "values");

	private static final Set<String> SPLIT_FIELDS = Set.of("key", "percent", "salt");

	private EdgeRuleFields() {
	}

	/**
	 * Reads a rule from its fields.
	 * @param fields the JSON object of the rule
	 * @return the rule
	 * @throws RuleValidationException naming the first field that is wrong
	 */
	public static EdgeRule fromFields(Map<String, ?> fields) {
		if (fields == null) {
			throw new RuleValidationException("rule", "must be a JSON object, but was missing");
		}
		checkKnown("", fields, RULE_FIELDS);
		String id = string("id", fields.get("id"), true);
		EdgeRule.checkId(id);
		String groupName = string("group", fields.get("group"), true);
		if (IsolationGroup.check(groupName) != null) {
			throw new RuleValidationException("group", "must be 1 to " + IsolationGroup.MAX_LENGTH
					+ " characters of [a-z0-9._-] starting with a letter or digit, but was " + Rules.quote(groupName));
		}
		int priority = integer("priority", fields.get("priority"));
		Object enabledField = fields.get("enabled");
		if (enabledField != null && !(enabledField instanceof Boolean)) {
			throw new RuleValidationException("enabled", "must be true or false, but was " + Rules.quote(enabledField));
		}
		boolean enabled = enabledField == null || (Boolean) enabledField;
		RuleMatch match = match(fields.get("match"));
		StickySplit split = split(fields.get("split"), id);
		return new EdgeRule(id, IsolationGroup.of(groupName), priority, enabled, match, split);
	}

	/**
	 * The fields of a rule, in the order a person reads them; the inverse of
	 * {@link #fromFields(Map)}.
	 * @param rule the rule
	 * @return a JSON object as maps, lists, strings, numbers and booleans
	 */
	public static Map<String, Object> toFields(EdgeRule rule) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("id", rule.id());
		fields.put("group", rule.group().name());
		fields.put("priority", rule.priority());
		fields.put("enabled", rule.enabled());
		if (rule.match() != null) {
			List<Object> conditions = new ArrayList<>();
			for (Condition condition : rule.match().conditions()) {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("source", condition.source().wireName());
				if (condition.name() != null) {
					entry.put("name", condition.name());
				}
				entry.put("op", condition.op().wireName());
				if (condition.op() == ConditionOp.IN || condition.op() == ConditionOp.CIDR) {
					entry.put("values", condition.values());
				}
				else if (!condition.values().isEmpty()) {
					entry.put("value", condition.values().get(0));
				}
				conditions.add(entry);
			}
			fields.put("match", Map.of(rule.match().mode().wireName(), conditions));
		}
		if (rule.split() != null) {
			Map<String, Object> split = new LinkedHashMap<>();
			split.put("key", rule.split().key());
			split.put("percent", percentOf(rule.split().basisPoints()));
			split.put("salt", rule.split().salt());
			fields.put("split", split);
		}
		return fields;
	}

	// 1000 -> 10.0, 1050 -> 10.5, 1 -> 0.01: a percentage as a person writes it.
	private static BigDecimal percentOf(int basisPoints) {
		BigDecimal percent = BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros();
		return (percent.scale() < 1) ? percent.setScale(1) : percent;
	}

	private static RuleMatch match(Object field) {
		if (field == null) {
			return null;
		}
		Map<String, ?> match = object("match", field);
		checkKnown("match.", match, Set.of("all", "any"));
		if (match.size() != 1) {
			throw new RuleValidationException("match", "must hold exactly one of all or any, but held "
					+ (match.isEmpty() ? "neither" : "both"));
		}
		RuleMatch.Mode mode = match.containsKey("all") ? RuleMatch.Mode.ALL : RuleMatch.Mode.ANY;
		String path = "match." + mode.wireName();
		List<?> entries = list(path, match.get(mode.wireName()));
		if (entries.isEmpty() || entries.size() > RuleMatch.MAX_CONDITIONS) {
			throw new RuleValidationException(path, "must hold 1 to " + RuleMatch.MAX_CONDITIONS
					+ " conditions, but was " + entries.size());
		}
		List<Condition> conditions = new ArrayList<>();
		for (int i = 0; i < entries.size(); i++) {
			conditions.add(condition(path + "[" + i + "]", entries.get(i)));
		}
		return new RuleMatch(mode, conditions);
	}

	private static Condition condition(String path, Object field) {
		Map<String, ?> fields = object(path, field);
		checkKnown(path + ".", fields, CONDITION_FIELDS);
		try {
			ConditionSource source = ConditionSource.fromWire("source", string("source", fields.get("source"), true));
			String name = string("name", fields.get("name"), false);
			ConditionOp op = ConditionOp.fromWire("op", string("op", fields.get("op"), true));
			List<String> values;
			if (fields.containsKey("value") && fields.containsKey("values")) {
				throw new RuleValidationException("values", "must not be given with value, but both were");
			}
			if (fields.containsKey("value")) {
				values = List.of(string("value", fields.get("value"), true));
			}
			else if (fields.containsKey("values")) {
				List<?> raw = list("values", fields.get("values"));
				values = new ArrayList<>();
				for (int i = 0; i < raw.size(); i++) {
					values.add(string("values[" + i + "]", raw.get(i), true));
				}
			}
			else {
				values = List.of();
			}
			return new Condition(source, name, op, values);
		}
		catch (RuleValidationException ex) {
			throw ex.within(path);
		}
	}

	private static StickySplit split(Object field, String id) {
		if (field == null) {
			return null;
		}
		Map<String, ?> fields = object("split", field);
		checkKnown("split.", fields, SPLIT_FIELDS);
		try {
			String key = string("key", fields.get("key"), true);
			int colon = key.indexOf(':');
			ConditionSource source = null;
			if (colon > 0) {
				String prefix = key.substring(0, colon);
				for (ConditionSource candidate : ConditionSource.values()) {
					if (candidate.isNamed() && candidate.wireName().equals(prefix)) {
						source = candidate;
					}
				}
			}
			if (source == null) {
				throw new RuleValidationException("key", "must be header:NAME, cookie:NAME or query:NAME, but was "
						+ Rules.quote(key));
			}
			Object percentField = fields.get("percent");
			if (!(percentField instanceof Number number)) {
				throw new RuleValidationException("percent", "must be a number from 0 to 100 with at most two decimals, but was "
						+ ((percentField == null) ? "missing" : Rules.quote(percentField)));
			}
			BigDecimal percent = decimal(number);
			if (percent == null || percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0
					|| percent.stripTrailingZeros().scale() > 2) {
				throw new RuleValidationException("percent", "must be a number from 0 to 100 with at most two decimals, but was "
						+ number);
			}
			int basisPoints = percent.movePointRight(2).intValueExact();
			Object saltField = fields.get("salt");
			String salt = (saltField == null) ? id : string("salt", saltField, true);
			return new StickySplit(source, key.substring(colon + 1), basisPoints, salt);
		}
		catch (RuleValidationException ex) {
			throw ex.within("split");
		}
	}

	private static BigDecimal decimal(Number number) {
		if (number instanceof BigDecimal decimal) {
			return decimal;
		}
		if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
			return BigDecimal.valueOf(number.longValue());
		}
		double value = number.doubleValue();
		return Double.isFinite(value) ? new BigDecimal(Double.toString(value)) : null;
	}

	private static int integer(String field, Object value) {
		if (value == null) {
			return 0;
		}
		if (value instanceof Number number) {
			BigDecimal decimal = decimal(number);
			try {
				if (decimal != null) {
					return decimal.intValueExact();
				}
			}
			catch (ArithmeticException ex) {
				// Falls through to the error below.
			}
		}
		throw new RuleValidationException(field, "must be a whole number from " + Integer.MIN_VALUE + " to "
				+ Integer.MAX_VALUE + ", but was " + Rules.quote(String.valueOf(value)));
	}

	private static String string(String field, Object value, boolean required) {
		if (value == null) {
			if (required) {
				throw new RuleValidationException(field, "must be a string, but was missing");
			}
			return null;
		}
		if (!(value instanceof String text)) {
			throw new RuleValidationException(field, "must be a string, but was " + describe(value));
		}
		return text;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> object(String field, Object value) {
		if (!(value instanceof Map<?, ?> map)) {
			throw new RuleValidationException(field, "must be a JSON object, but was " + describe(value));
		}
		return (Map<String, ?>) map;
	}

	private static List<?> list(String field, Object value) {
		if (!(value instanceof List<?> list)) {
			throw new RuleValidationException(field, "must be a JSON array, but was " + describe(value));
		}
		return list;
	}

	private static void checkKnown(String prefix, Map<String, ?> fields, Set<String> known) {
		for (String key : fields.keySet()) {
			if (!known.contains(key)) {
				throw new RuleValidationException(prefix + key, "must not be there: it is not a known field (known: "
						+ String.join(", ", known.stream().sorted().toList()) + ")");
			}
		}
	}

	private static String describe(Object value) {
		if (value instanceof Map) {
			return "an object";
		}
		if (value instanceof List) {
			return "an array";
		}
		return (value instanceof String text) ? Rules.quote(text) : String.valueOf(value);
	}

}
