package io.github.isolation.console;

/**
 * Where an instance's group comes from, first match wins (DESIGN.md section 4).
 *
 * @since 0.1.0
 */
public enum GroupSource {

	/** The instance's own ephemeral binding in ZooKeeper ({@code isolation.group} on the instance). */
	SELF_BINDING("self-binding"),

	/** A persistent binding an operator or a pipeline wrote. */
	OPERATOR_BINDING("operator binding"),

	/** The discovery metadata entry {@code isolation-group}. */
	METADATA("metadata"),

	/** Nothing says otherwise: stable. */
	DEFAULT("default");

	private final String label;

	GroupSource(String label) {
		this.label = label;
	}

	/**
	 * @return how the page names it
	 */
	public String label() {
		return this.label;
	}

}
