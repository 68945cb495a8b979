package io.github.isolation.core;

import java.util.Optional;

/**
 * Bindings of instances and of request sources to groups, kept outside the instances
 * themselves (for example in ZooKeeper), so that a group can be built up, rebound and torn down
 * without restarting anything. A binding wins over what discovery metadata says.
 *
 * <p>Implementations answer from memory: they are asked on the request path.
 *
 * @since 0.1.0
 */
public interface GroupBindings {

	/** No bindings at all: every instance keeps the group its metadata gives it. */
	GroupBindings NONE = new GroupBindings() {

		@Override
		public Optional<IsolationGroup> instanceGroup(String serviceId, String host, int port) {
			return Optional.empty();
		}

		@Override
		public Optional<IsolationGroup> sourceGroup(String address) {
			return Optional.empty();
		}

	};

	/**
	 * The group an instance is bound to.
	 * @param serviceId the service id, as discovery reports it
	 * @param host the instance's host, as discovery reports it
	 * @param port the instance's port
	 * @return the bound group, or empty if the instance has no binding
	 */
	Optional<IsolationGroup> instanceGroup(String serviceId, String host, int port);

	/**
	 * The group that requests from a source address are bound to, for colouring at the edge.
	 * @param address the caller's IP address in its textual form
	 * @return the bound group, or empty if the address has no binding
	 */
	Optional<IsolationGroup> sourceGroup(String address);

}
