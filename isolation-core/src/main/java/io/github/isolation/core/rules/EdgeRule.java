package io.github.isolation.core.rules;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.TagRejection;

/**
 * A rule that colours requests entering the system without an accepted tag: those that meet its
 * {@link RuleMatch match} (every request when there is none) and fall into its
 * {@link StickySplit split} (every matching request when there is none) enter {@link #group()}.
 *
 * <p>Rules are tried by {@link #priority()}, lower first, ties broken by {@link #id()}; the first
 * enabled rule that applies wins ({@link EdgeRules}).
 *
 * @param id the rule's name, valid as a group name ({@code [a-z0-9._-]}, 1 to 63), and the name
 * of its node in ZooKeeper
 * @param group the group it colours requests with
 * @param priority the order it is tried in, lower first
 * @param enabled whether it is tried at all
 * @param match what requests it applies to, or {@code null} for every request
 * @param split the sticky share of matching requests it colours, or {@code null} for all
 * @since 0.1.0
 */
public record EdgeRule(String id, IsolationGroup group, int priority, boolean enabled, RuleMatch match,
		StickySplit split) {

	public EdgeRule {
		checkId(id);
		if (group == null) {
			throw new RuleValidationException("group", "must be a group name, but was missing");
		}
	}

	/**
	 * Whether this rule colours a request, whether or not it is enabled.
	 * @param request the request
	 * @return {@code true} if the request meets the match and falls into the split
	 */
	public boolean appliesTo(RuleRequest request) {
		if (this.match != null && !matches(this.match, request)) {
			return false;
		}
		if (this.split == null) {
			return true;
		}
		StickySplit split = this.split;
		String key = switch (split.keySource()) {
			case HEADER -> request.header(split.keyName());
			case COOKIE -> request.cookie(split.keyName());
			default -> request.queryParameter(split.keyName());
		};
		return key != null && split.includes(key);
	}

	/**
	 * The same rule, enabled or not.
	 * @param enabled whether it is tried
	 * @return the rule
	 */
	public EdgeRule withEnabled(boolean enabled) {
		return new EdgeRule(this.id, this.group, this.priority, enabled, this.match, this.split);
	}

	/**
	 * Checks a rule id.
	 * @param id the id
	 * @throws RuleValidationException naming {@code id} if it is not valid
	 */
	public static void checkId(String id) {
		TagRejection rejection = IsolationGroup.check(id);
		if (rejection != null) {
			throw new RuleValidationException("id", "must be 1 to " + IsolationGroup.MAX_LENGTH
					+ " characters of [a-z0-9._-] starting with a letter or digit, but was " + Rules.quote(id));
		}
	}

	private static boolean matches(RuleMatch match, RuleRequest request) {
		java.util.List<Condition> conditions = match.conditions();
		boolean all = match.mode() == RuleMatch.Mode.ALL;
		for (int i = 0, n = conditions.size(); i < n; i++) {
			boolean met = conditions.get(i).test(request);
			if (met != all) {
				// all: one unmet condition decides; any: one met condition decides.
				return met;
			}
		}
		return all;
	}

}
