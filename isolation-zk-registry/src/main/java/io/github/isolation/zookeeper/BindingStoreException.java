package io.github.isolation.zookeeper;

/**
 * A read or write of bindings in ZooKeeper failed. The message says which node and why, and
 * what to do where there is something to do.
 *
 * @since 0.1.0
 */
public class BindingStoreException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * A failure with a message.
	 * @param message what failed, where and why
	 * @param cause the underlying failure, may be {@code null}
	 */
	public BindingStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
