package io.github.isolation.autoconfigure;

import io.github.isolation.core.IsolationGroup;

/**
 * The isolation group of this instance: {@code isolation.group}, or a binding of this instance
 * that can change while it runs. Requests that enter this instance untagged take this group for
 * the calls they make.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LocalGroup {

	/**
	 * The group of this instance now.
	 * @return the group, never {@code null}
	 */
	IsolationGroup current();

	/**
	 * Where {@link #current()} comes from, for people looking at the actuator endpoint:
	 * {@code property} ({@code isolation.group}), {@code binding} (ZooKeeper) or
	 * {@code default} (nothing set: stable).
	 * @return the origin
	 */
	default String origin() {
		return "property";
	}

}
