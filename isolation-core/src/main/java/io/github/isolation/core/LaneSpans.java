package io.github.isolation.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where the lane of a group is open on one partition of a log: the offsets at which it opened
 * and closed, in order (opened, closed, opened again, ...). A record of the group at an offset
 * with an odd number of these boundaries at or below it belongs to the lane; any other record of
 * the group to the stable consumers. An open lane has an odd number of boundaries, a closed one an
 * even number. Immutable; written as the offsets in decimal, separated by spaces ({@code "120"},
 * {@code "120 4031"}, {@code "120 4031 9000"}).
 *
 * @since 0.1.0
 */
public final class LaneSpans {

	private final long[] boundaries;

	private LaneSpans(long[] boundaries) {
		this.boundaries = boundaries;
	}

	/**
	 * A lane that opened at an offset and is open.
	 * @param offset the offset of its first record
	 * @return the spans
	 */
	public static LaneSpans openedAt(long offset) {
		return new LaneSpans(new long[] { requireOffset(offset) });
	}

	/**
	 * Reads spans as {@link #toString()} writes them.
	 * @param text offsets separated by spaces, not decreasing
	 * @return the spans
	 * @throws IllegalArgumentException when the text is not such a list
	 */
	public static LaneSpans parse(String text) {
		String trimmed = text.trim();
		if (trimmed.isEmpty()) {
			throw new IllegalArgumentException("Lane spans need at least the offset at which the lane opened");
		}
		String[] parts = trimmed.split("\\s+");
		long[] boundaries = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			try {
				boundaries[i] = requireOffset(Long.parseLong(parts[i]));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("Lane spans must be offsets separated by spaces: '" + text + "'");
			}
			if (i > 0 && boundaries[i] < boundaries[i - 1]) {
				throw new IllegalArgumentException("Lane spans must not decrease: '" + text + "'");
			}
		}
		return new LaneSpans(boundaries);
	}

	/**
	 * Whether a record of the lane's group at an offset belongs to the lane.
	 * @param offset the record's offset
	 * @return whether an odd number of boundaries is at or below it
	 */
	public boolean contains(long offset) {
		int atOrBelow = 0;
		while (atOrBelow < this.boundaries.length && this.boundaries[atOrBelow] <= offset) {
			atOrBelow++;
		}
		return atOrBelow % 2 == 1;
	}

	/**
	 * Whether the lane is open: records of its group from its last opening on belong to it.
	 * @return whether the number of boundaries is odd
	 */
	public boolean isOpen() {
		return this.boundaries.length % 2 == 1;
	}

	/**
	 * The offset at which the lane opened last.
	 * @return the last opening
	 */
	public long lastOpening() {
		return this.boundaries[(this.boundaries.length - 1) & ~1];
	}

	/**
	 * The offset at which the lane closed last.
	 * @return the last closing, or {@code -1} while it has never closed
	 */
	public long lastClosing() {
		return (this.boundaries.length < 2) ? -1 : this.boundaries[(this.boundaries.length - 2) | 1];
	}

	/**
	 * The lane closed at an offset: records of its group from there on belong to stable. An
	 * offset below the last opening closes it at the last opening.
	 * @param offset the first offset that belongs to stable
	 * @return the closed spans
	 * @throws IllegalStateException when the lane is closed already
	 */
	public LaneSpans closedAt(long offset) {
		if (!isOpen()) {
			throw new IllegalStateException("The lane is closed already: " + this);
		}
		return append(offset);
	}

	/**
	 * The lane opened again at an offset. An offset below the last closing reopens it there.
	 * @param offset the first offset that belongs to the lane again
	 * @return the open spans
	 * @throws IllegalStateException when the lane is open
	 */
	public LaneSpans reopenedAt(long offset) {
		if (isOpen()) {
			throw new IllegalStateException("The lane is open already: " + this);
		}
		return append(offset);
	}

	/**
	 * Where a consumer of the lane group resumes on the partition: at the group's committed offset
	 * while that offset is inside the lane; past a stretch that belongs to stable, at the next
	 * opening; at the last opening when the group has committed nothing.
	 * @param committed the lane group's committed offset, or {@code null}
	 * @return the offset to seek to
	 */
	public long resumeAt(Long committed) {
		if (committed == null) {
			return lastOpening();
		}
		if (contains(committed)) {
			return committed;
		}
		for (int i = 0; i < this.boundaries.length; i += 2) {
			if (this.boundaries[i] > committed) {
				return this.boundaries[i];
			}
		}
		return committed;
	}

	private LaneSpans append(long offset) {
		long[] longer = Arrays.copyOf(this.boundaries, this.boundaries.length + 1);
		longer[this.boundaries.length] = Math.max(requireOffset(offset), this.boundaries[this.boundaries.length - 1]);
		return new LaneSpans(longer);
	}

	private static long requireOffset(long offset) {
		if (offset < 0) {
			throw new IllegalArgumentException("An offset cannot be negative: " + offset);
		}
		return offset;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof LaneSpans spans && Arrays.equals(this.boundaries, spans.boundaries);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.boundaries);
	}

	@Override
	public String toString() {
		return Arrays.stream(this.boundaries).mapToObj(Long::toString).collect(Collectors.joining(" "));
	}

}
