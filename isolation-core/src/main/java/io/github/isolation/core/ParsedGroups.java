package io.github.isolation.core;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link IsolationGroup#parse(CharSequence, Consumer)} for values that come again and again,
 * such as the discovery metadata of every instance on every call: a value parsed before costs
 * one hash lookup instead of a parse, and every value that names a group gives the same
 * {@link IsolationGroup} object.
 *
 * <p>Only valid names are remembered, so a malformed value is parsed, rejected and reported
 * again each time it comes. At most a fixed number of values are remembered, so that a flood
 * of distinct values cannot grow memory; past the bound, values not remembered are parsed each
 * time, as without this class. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ParsedGroups {

	private final int maxSize;

	// Raw value -> its group, and each group's name -> the one object for that group.
	private final ConcurrentHashMap<String, IsolationGroup> groups = new ConcurrentHashMap<>();

	/**
	 * Creates an empty cache.
	 * @param maxSize the most values remembered
	 */
	public ParsedGroups(int maxSize) {
		if (maxSize < 1) {
			throw new IllegalArgumentException("maxSize must be at least 1, but was " + maxSize);
		}
		this.maxSize = maxSize;
	}

	/**
	 * The group named by an untrusted value, as {@link IsolationGroup#parse(CharSequence, Consumer)}
	 * reads it.
	 * @param raw the value as received, may be {@code null}
	 * @param onRejected told if the value is present but not a valid name, each time it is
	 * @return the group, or {@code null} if the value is absent or not a valid name
	 */
	public IsolationGroup parse(String raw, Consumer<TagRejection> onRejected) {
		if (raw == null) {
			return null;
		}
		IsolationGroup known = this.groups.get(raw);
		if (known != null) {
			return known;
		}
		Optional<IsolationGroup> parsed = IsolationGroup.parse(raw, onRejected);
		if (parsed.isEmpty()) {
			return null;
		}
		IsolationGroup group = parsed.get();
		// The size check races with other threads, so the bound may be passed by a few entries.
		if (this.groups.size() < this.maxSize) {
			IsolationGroup named = this.groups.putIfAbsent(group.name(), group);
			if (named != null) {
				group = named;
			}
			if (!raw.equals(group.name())) {
				this.groups.putIfAbsent(raw, group);
			}
		}
		return group;
	}

	/**
	 * The number of values remembered, for tests.
	 * @return the number of entries
	 */
	int size() {
		return this.groups.size();
	}

}
