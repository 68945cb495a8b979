package io.github.isolation.console;

/**
 * A node under the root that is not a well-formed binding, so routing ignores it: shown so
 * that whoever wrote it can see why.
 *
 * @param path the node's path
 * @param reason why the bindings view skipped it
 * @param data the first characters of its data, as read; empty until read
 * @param length the length of its data in bytes, {@code -1} until read
 * @since 0.1.0
 */
public record SkippedNode(String path, String reason, String data, int length) {
}
