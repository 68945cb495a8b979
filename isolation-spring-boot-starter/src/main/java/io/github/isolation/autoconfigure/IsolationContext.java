package io.github.isolation.autoconfigure;

/**
 * Where the isolation tag of the current request comes from. The default implementation reads
 * the tracing baggage and falls back to this instance's own group.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface IsolationContext {

	/**
	 * The tag of the request being served on the current thread, or the tag that calls
	 * started by this instance itself take when no request is being served.
	 * @return the effective tag, never {@code null}
	 */
	IsolationTag current();

}
