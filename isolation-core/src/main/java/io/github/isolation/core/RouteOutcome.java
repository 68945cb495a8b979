package io.github.isolation.core;

/**
 * What the routing rule decided for one call.
 *
 * @since 0.1.0
 */
public enum RouteOutcome {

	/** The request's group has instances of the service; only those are used. */
	OWN_GROUP,

	/**
	 * The list has no instance of the request's group, but instances of it that an earlier list
	 * had are known to be still running in it; only those are used (see {@link IndexedRouter}).
	 */
	HELD,

	/** The request is untagged (stable); only stable instances are used. */
	STABLE,

	/** The request's group has no instance of the service; stable instances are used instead. */
	FALLBACK,

	/** The request's group has no instance and the service must not fall back; no call is made. */
	FAIL_FAST,

	/** Neither the request's group nor stable has an instance; no call is made. */
	NO_INSTANCE;

	/**
	 * Whether a call can be made.
	 * @return {@code true} if the decision carries instances to call
	 */
	public boolean isRoutable() {
		return this == OWN_GROUP || this == HELD || this == STABLE || this == FALLBACK;
	}

}
