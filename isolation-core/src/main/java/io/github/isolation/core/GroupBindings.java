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
	 * The group an instance has bound itself to with a binding that lasts only while the
	 * instance runs (in ZooKeeper, an ephemeral node held by the instance's session): while it
	 * is there, the instance is running in that group, whatever discovery lists at the moment.
	 * @param serviceId the service id, as discovery reports it
	 * @param host the instance's host, as discovery reports it
	 * @param port the instance's port
	 * @return the group, or empty if the instance has no binding of its own (none at all, or
	 * one that an operator wrote and that outlives the instance); the default is always empty
	 * @since 0.1.0
	 */
	default Optional<IsolationGroup> selfBoundGroup(String serviceId, String host, int port) {
		return Optional.empty();
	}

	/**
	 * The group that requests from a source address are bound to, for colouring at the edge.
	 * @param address the caller's IP address in its textual form
	 * @return the bound group, or empty if the address has no binding
	 */
	Optional<IsolationGroup> sourceGroup(String address);

	/**
	 * A number that changes every time an answer of {@link #instanceGroup} may have changed,
	 * so that a caller can keep what it derived from the answers (such as an
	 * {@link InstanceListIndex}) for as long as the number stays the same. A caller reads it
	 * <em>before</em> asking for the answers it keeps, and an implementation changes it only
	 * <em>after</em> the new answers are visible, so that what is kept under a number is never
	 * older than that number.
	 * @return the generation of the bindings; the default, {@code 0}, says they never change
	 * @since 0.1.0
	 */
	default long generation() {
		return 0;
	}

	/**
	 * A number that changes every time an answer of {@link #instanceGroup} may have changed
	 * for an instance of one service, with the same contract as {@link #generation()}: read
	 * before the answers that are kept, changed only after the new answers are visible. It
	 * exists so that a change of one service's bindings does not make a caller throw away
	 * what it derived for every other service: with a hundred services and bindings that
	 * change every few seconds, a single number would make every service's routing rebuild
	 * on every change. Numbers of different services need not be comparable.
	 * @param serviceId the service id, in the spelling the caller routes by (an implementation
	 * folds spellings the same way as {@link #instanceGroup} does)
	 * @return the generation of that service's bindings; the default is {@link #generation()},
	 * which is correct for any implementation, only coarser
	 * @since 0.1.0
	 */
	default long generation(String serviceId) {
		return generation();
	}

	/**
	 * Says that this instance is about to call a service, before its first routing decision,
	 * so that an implementation that holds only the bindings of the services an instance calls
	 * can read that service's bindings now. Called when a load-balancer client is created for
	 * the service, on the thread that creates it (typically the first request to the service):
	 * an implementation may block it, but only for a bounded time, and must never throw; if
	 * it cannot read the bindings in time, calls to the service are routed by discovery
	 * metadata until it can.
	 * @param serviceId the service id, as discovery reports it
	 * @since 0.1.0
	 */
	default void prepare(String serviceId) {
	}

}
