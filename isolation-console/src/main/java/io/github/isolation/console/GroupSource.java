package io.github.isolation.console;

/**
 * Where an instance's group comes from, first match wins (DESIGN.md section 4).
 *
 * @since 0.1.0
 */
public enum GroupSource {

	/** The instance's own ephemeral binding in ZooKeeper ({@code isolation.group} on the instance). */
	SELF_BINDING("self-binding", "self"),

	/** A persistent binding an operator or a pipeline wrote. */
	OPERATOR_BINDING("operator binding", "op"),

	/** The discovery metadata entry {@code isolation-group}. */
	METADATA("metadata", "meta"),

	/** Nothing says otherwise: stable. */
	DEFAULT("default", "default");

	private final String label;

	private final String shortLabel;

	GroupSource(String label, String shortLabel) {
		this.label = label;
		this.shortLabel = shortLabel;
	}

	/**
	 * @return how the page names it
	 */
	public String label() {
		return this.label;
	}

	/**
	 * @return how a cell of the environment table names it
	 */
	public String shortLabel() {
		return this.shortLabel;
	}

}
