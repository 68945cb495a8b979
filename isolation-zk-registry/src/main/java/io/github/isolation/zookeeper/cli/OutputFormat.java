package io.github.isolation.zookeeper.cli;

/** How a listing is printed. */
enum OutputFormat {

	/** Aligned columns with one header line, for people. */
	TABLE,

	/** A JSON array of objects, one per row, for scripts. */
	JSON

}
