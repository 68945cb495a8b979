package io.github.isolation.zookeeper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.apache.zookeeper.data.Stat;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.LogSafe;

/**
 * Reads nodes of the layout in {@link BindingPaths} back into bindings. Whatever is not a
 * well-formed binding becomes a {@link Skipped} with a reason; nothing here throws on data
 * from ZooKeeper, which any client with write access could have put there.
 */
final class BindingNodes {

	/**
	 * The most bytes of data read as a group name. A group name has at most 63 characters;
	 * the slack allows surrounding whitespace from hand-written nodes.
	 */
	static final int MAX_DATA_BYTES = 256;

	private BindingNodes() {
	}

	/** What a node is, from its path alone. */
	sealed interface Kind permits Structure, InstanceNode, SourceNode, Skipped {
	}

	/** The root, {@code bindings}, {@code sources} or a service node: no binding of its own. */
	record Structure() implements Kind {
	}

	/** The node of an instance binding. */
	record InstanceNode(String serviceId, InstanceAddress address) implements Kind {
	}

	/** The node of a source binding. */
	record SourceNode(String address) implements Kind {
	}

	/**
	 * A node that is not part of a well-formed layout.
	 * @param reason why, safe to log
	 * @param warn {@code false} when an ancestor is already skipped, so that one bad subtree
	 * gives one warning
	 */
	record Skipped(String reason, boolean warn) implements Kind {
	}

	private static final Structure STRUCTURE = new Structure();

	/**
	 * What the node at a path is.
	 * @param paths the layout
	 * @param path the node's full path
	 * @return its kind
	 */
	static Kind classify(BindingPaths paths, String path) {
		String root = paths.root();
		if (path.equals(root)) {
			return STRUCTURE;
		}
		if (!path.startsWith(root) || path.charAt(root.length()) != '/') {
			return new Skipped("outside the root " + root, false);
		}
		List<String> segments = List.of(path.substring(root.length() + 1).split("/", -1));
		String top = segments.get(0);
		if (BindingPaths.BINDINGS.equals(top)) {
			return classifyBinding(segments);
		}
		if (BindingPaths.SOURCES.equals(top)) {
			return classifySource(segments);
		}
		if (BindingPaths.RULES.equals(top)) {
			// Rules have a view of their own (EdgeRulesView): not bindings, and not to warn about.
			return new Skipped("rules, not bindings", false);
		}
		if (BindingPaths.KAFKA.equals(top)) {
			// Kafka lanes' offsets, kept and read by isolation-kafka: not bindings either.
			return new Skipped("Kafka lanes, not bindings", false);
		}
		return skipped(segments, 0, "unknown node: only '" + BindingPaths.BINDINGS + "' and '"
				+ BindingPaths.SOURCES + "' belong under the root");
	}

	private static Kind classifyBinding(List<String> segments) {
		if (segments.size() == 1) {
			return STRUCTURE;
		}
		String serviceId = BindingNames.canonicalServiceId(segments.get(1));
		if (serviceId == null) {
			return skipped(segments, 1, "not a valid service id");
		}
		if (segments.size() == 2) {
			return STRUCTURE;
		}
		InstanceAddress address = InstanceAddress.tryParse(segments.get(2));
		if (address == null) {
			return skipped(segments, 2, "not HOST:PORT");
		}
		if (segments.size() == 3) {
			return new InstanceNode(serviceId, address);
		}
		return skipped(segments, 3, "unexpected node below a binding");
	}

	private static Kind classifySource(List<String> segments) {
		if (segments.size() == 1) {
			return STRUCTURE;
		}
		String address = BindingNames.canonicalIp(segments.get(1));
		if (address == null) {
			return skipped(segments, 1, "not an IP address");
		}
		if (segments.size() == 2) {
			return new SourceNode(address);
		}
		return skipped(segments, 2, "unexpected node below a binding");
	}

	/** Skips a node whose segment at {@code badIndex} is wrong; only that node itself warns. */
	private static Skipped skipped(List<String> segments, int badIndex, String reason) {
		return new Skipped(reason, segments.size() == badIndex + 1);
	}

	/**
	 * The binding a node holds.
	 * @param paths the layout
	 * @param path the node's path
	 * @param stat the node's stat, may be {@code null} when unknown (then taken as persistent)
	 * @param data the node's data, may be {@code null}
	 * @return an {@link InstanceBinding}, a {@link SourceBinding}, a {@link Skipped} or, for a
	 * structural node, {@code null}
	 */
	static Object read(BindingPaths paths, String path, Stat stat, byte[] data) {
		Kind kind = classify(paths, path);
		if (kind instanceof Structure) {
			return null;
		}
		if (kind instanceof Skipped) {
			return kind;
		}
		Object group = decodeGroup(data);
		if (group instanceof Skipped) {
			return group;
		}
		boolean ephemeral = stat != null && stat.getEphemeralOwner() != 0;
		if (kind instanceof InstanceNode node) {
			return new InstanceBinding(node.serviceId(), node.address(), (IsolationGroup) group, ephemeral);
		}
		return new SourceBinding(((SourceNode) kind).address(), (IsolationGroup) group, ephemeral);
	}

	/**
	 * The group a binding node's data names.
	 * @param data the data, may be {@code null}
	 * @return an {@link IsolationGroup}, or a {@link Skipped} saying why not
	 */
	static Object decodeGroup(byte[] data) {
		if (data == null || data.length == 0) {
			return new Skipped("no group name (the node has no data)", true);
		}
		if (data.length > MAX_DATA_BYTES) {
			return new Skipped("data of " + data.length + " bytes is too long for a group name", true);
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(data))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return new Skipped("data is not UTF-8", true);
		}
		Optional<IsolationGroup> group = IsolationGroup.parse(text);
		if (group.isEmpty()) {
			return new Skipped("data " + LogSafe.quote(text) + " is not a valid group name", true);
		}
		return group.get();
	}

	/**
	 * The data of a binding node.
	 * @param group the group
	 * @return its name in UTF-8
	 */
	static byte[] encode(IsolationGroup group) {
		return group.name().getBytes(StandardCharsets.UTF_8);
	}

}
