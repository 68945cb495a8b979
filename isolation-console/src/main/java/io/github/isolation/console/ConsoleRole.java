package io.github.isolation.console;

/**
 * What a console user may do.
 *
 * @since 0.1.0
 */
public enum ConsoleRole {

	/** Sees everything, changes nothing. */
	VIEWER,

	/** Sees everything and writes bindings. */
	OPERATOR

}
