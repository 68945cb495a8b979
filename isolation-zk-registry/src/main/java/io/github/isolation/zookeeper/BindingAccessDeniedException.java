package io.github.isolation.zookeeper;

/**
 * A write was refused because the node is protected by a digest ACL (see
 * {@link DigestCredentials}) and the client did not authenticate with its credentials.
 *
 * @since 0.1.0
 */
public class BindingAccessDeniedException extends BindingStoreException {

	private static final long serialVersionUID = 1L;

	/**
	 * A refusal to change a node.
	 * @param message what was refused, and which credentials to pass
	 * @param cause ZooKeeper's {@code NoAuthException}
	 */
	public BindingAccessDeniedException(String message, Throwable cause) {
		super(message, cause);
	}

}
