package io.github.isolation.zookeeper;

import java.util.Objects;

import io.github.isolation.core.IsolationGroup;

/**
 * A binding of a request source (the caller's IP address) to an isolation group, so that the
 * edge can colour requests from a developer's machine.
 *
 * @param address the canonical IP address
 * @param group the group requests from that address are bound to
 * @param ephemeral {@code true} if the binding goes when the session that wrote it does
 * @since 0.1.0
 */
public record SourceBinding(String address, IsolationGroup group, boolean ephemeral) {

	public SourceBinding {
		address = BindingNames.checkSourceAddress(address);
		Objects.requireNonNull(group, "group must not be null");
	}

}
