package io.github.isolation.zookeeper;

/**
 * Hears what a {@link BindingsView} does. Called on the view's update thread (the Curator
 * client's event thread), one call at a time: implementations must return quickly and must
 * not block on ZooKeeper. A listener that throws is logged and never stops the view, nor the
 * other listeners.
 *
 * @since 0.1.0
 */
public interface BindingsListener {

	/**
	 * The view has a new snapshot: after its first load, and after every change that makes a
	 * difference to it.
	 * @param snapshot the snapshot now served
	 */
	default void bindingsChanged(BindingsSnapshot snapshot) {
	}

	/**
	 * A node was skipped because it is not a well-formed binding. Called once per node (and
	 * again only when the node's data changes), when the view logs its warning.
	 * @param path the node's path
	 * @param reason why it was skipped
	 */
	default void nodeSkipped(String path, String reason) {
	}

	/**
	 * The view's connection to ZooKeeper changed.
	 * @param connection the new state
	 */
	default void connectionChanged(BindingsView.Connection connection) {
	}

}
