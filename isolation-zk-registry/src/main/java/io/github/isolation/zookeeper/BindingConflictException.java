package io.github.isolation.zookeeper;

/**
 * A write was refused because the node is an instance's own (ephemeral) binding: the instance
 * would restore it at once, so an operator's write would not stick. Change the instance's
 * {@code isolation.group}, or stop it, instead.
 *
 * @since 0.1.0
 */
public class BindingConflictException extends BindingStoreException {

	private static final long serialVersionUID = 1L;

	/**
	 * A refusal to change an instance's own binding.
	 * @param message which binding and what to do instead
	 */
	public BindingConflictException(String message) {
		super(message, null);
	}

}
