package io.github.isolation.zookeeper;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable hash map whose {@link #with} and {@link #without} return a new map that shares
 * all but a few nodes with the old one (a hash array mapped trie). A change costs a handful of
 * small array copies, however many entries the map holds, which is what lets
 * {@link BindingsView} apply one binding change without rebuilding all of them, while every
 * lookup reads a map that never changes under it.
 *
 * <p>Keys and values must not be {@code null}. Thread-safe: instances never change once
 * visible; a {@link Builder} fills new nodes in place until it is done, and is for one
 * thread.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class HashTrie<K, V> {

	private static final int BITS = 5;

	private static final int MASK = (1 << BITS) - 1;

	private static final HashTrie<?, ?> EMPTY = new HashTrie<>(null, 0);

	// Null for the empty map.
	private final Node root;

	private final int size;

	private HashTrie(Node root, int size) {
		this.root = root;
		this.size = size;
	}

	@SuppressWarnings("unchecked")
	static <K, V> HashTrie<K, V> empty() {
		return (HashTrie<K, V>) EMPTY;
	}

	static <K, V> Builder<K, V> builder() {
		return new Builder<>();
	}

	int size() {
		return this.size;
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	@SuppressWarnings("unchecked")
	V get(Object key) {
		if (this.root == null || key == null) {
			return null;
		}
		return (V) this.root.get(key, hash(key), 0);
	}

	/**
	 * This map with a key mapped to a value.
	 * @return the new map, or this one if the key already maps to that very value
	 */
	HashTrie<K, V> with(K key, V value) {
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(value, "value must not be null");
		int[] added = new int[1];
		Node root = (this.root != null) ? this.root.with(null, key, hash(key), value, 0, added)
				: BitmapNode.single(null, key, hash(key), value, 0);
		if (root == this.root) {
			return this;
		}
		return new HashTrie<>(root, (this.root != null) ? this.size + added[0] : 1);
	}

	/**
	 * This map without a key.
	 * @return the new map, or this one if it has no such key
	 */
	HashTrie<K, V> without(Object key) {
		if (this.root == null || key == null) {
			return this;
		}
		Node root = this.root.without(key, hash(key), 0);
		if (root == this.root) {
			return this;
		}
		return (root != null) ? new HashTrie<>(root, this.size - 1) : empty();
	}

	@SuppressWarnings("unchecked")
	void forEach(BiConsumer<? super K, ? super V> action) {
		if (this.root != null) {
			this.root.forEach((BiConsumer<Object, Object>) action);
		}
	}

	private static int hash(Object key) {
		int h = key.hashCode();
		// Spread the high bits down: the levels take the low bits first.
		return h ^ (h >>> 16);
	}

	private static int index(int hash, int shift) {
		return (hash >>> shift) & MASK;
	}

	/** Fills a new map in place, for loading many entries at once. */
	static final class Builder<K, V> {

		// The nodes created by this builder carry it as their owner and are changed in place.
		private final Object owner = new Object();

		private Node root;

		private int size;

		private boolean built;

		Builder<K, V> put(K key, V value) {
			Objects.requireNonNull(key, "key must not be null");
			Objects.requireNonNull(value, "value must not be null");
			if (this.built) {
				throw new IllegalStateException("Builder already built");
			}
			int[] added = new int[1];
			if (this.root == null) {
				this.root = BitmapNode.single(this.owner, key, hash(key), value, 0);
				added[0] = 1;
			}
			else {
				this.root = this.root.with(this.owner, key, hash(key), value, 0, added);
			}
			this.size += added[0];
			return this;
		}

		@SuppressWarnings("unchecked")
		V get(Object key) {
			return (this.root != null && key != null) ? (V) this.root.get(key, hash(key), 0) : null;
		}

		HashTrie<K, V> build() {
			this.built = true;
			return (this.root != null) ? new HashTrie<>(this.root, this.size) : empty();
		}

	}

	private abstract static class Node {

		abstract Object get(Object key, int hash, int shift);

		/** {@code added[0]} is set to 1 when the key was not there before. */
		abstract Node with(Object owner, Object key, int hash, Object value, int shift, int[] added);

		/** This node without the key; {@code this} if absent, {@code null} if nothing is left. */
		abstract Node without(Object key, int hash, int shift);

		abstract void forEach(BiConsumer<Object, Object> action);

		/** The only entry's key when this node holds exactly one entry and no child; else null. */
		abstract Object singleKey();

		abstract Object singleValue();

		static Node pair(Object owner, Object key1, int hash1, Object value1, Object key2, int hash2, Object value2,
				int shift) {
			if (hash1 == hash2) {
				return new CollisionNode(hash1, new Object[] { key1, value1, key2, value2 });
			}
			int index1 = index(hash1, shift);
			int index2 = index(hash2, shift);
			if (index1 == index2) {
				Node child = pair(owner, key1, hash1, value1, key2, hash2, value2, shift + BITS);
				return new BitmapNode(owner, 1 << index1, new Object[] { null, child });
			}
			Object[] array = (index1 < index2) ? new Object[] { key1, value1, key2, value2 }
					: new Object[] { key2, value2, key1, value1 };
			return new BitmapNode(owner, (1 << index1) | (1 << index2), array);
		}

	}

	/**
	 * Up to 32 slots, present ones marked in a bitmap; each slot is a key and its value, or
	 * {@code null} and a child node.
	 */
	private static final class BitmapNode extends Node {

		private final Object owner;

		private int bitmap;

		private Object[] array;

		BitmapNode(Object owner, int bitmap, Object[] array) {
			this.owner = owner;
			this.bitmap = bitmap;
			this.array = array;
		}

		static BitmapNode single(Object owner, Object key, int hash, Object value, int shift) {
			return new BitmapNode(owner, 1 << index(hash, shift), new Object[] { key, value });
		}

		private int position(int bit) {
			return Integer.bitCount(this.bitmap & (bit - 1));
		}

		@Override
		Object get(Object key, int hash, int shift) {
			int bit = 1 << index(hash, shift);
			if ((this.bitmap & bit) == 0) {
				return null;
			}
			int at = 2 * position(bit);
			Object k = this.array[at];
			if (k == null) {
				return ((Node) this.array[at + 1]).get(key, hash, shift + BITS);
			}
			return key.equals(k) ? this.array[at + 1] : null;
		}

		@Override
		Node with(Object owner, Object key, int hash, Object value, int shift, int[] added) {
			int bit = 1 << index(hash, shift);
			int at = 2 * position(bit);
			if ((this.bitmap & bit) == 0) {
				Object[] array = new Object[this.array.length + 2];
				System.arraycopy(this.array, 0, array, 0, at);
				array[at] = key;
				array[at + 1] = value;
				System.arraycopy(this.array, at, array, at + 2, this.array.length - at);
				added[0] = 1;
				if (owner != null && owner == this.owner) {
					this.bitmap |= bit;
					this.array = array;
					return this;
				}
				return new BitmapNode(owner, this.bitmap | bit, array);
			}
			Object k = this.array[at];
			Object v = this.array[at + 1];
			Object replacement;
			Object replacementKey;
			if (k == null) {
				Node child = ((Node) v).with(owner, key, hash, value, shift + BITS, added);
				if (child == v) {
					return this;
				}
				replacementKey = null;
				replacement = child;
			}
			else if (key.equals(k)) {
				if (v == value) {
					return this;
				}
				replacementKey = k;
				replacement = value;
			}
			else {
				added[0] = 1;
				replacementKey = null;
				replacement = pair(owner, k, hash(k), v, key, hash, value, shift + BITS);
			}
			if (owner != null && owner == this.owner) {
				this.array[at] = replacementKey;
				this.array[at + 1] = replacement;
				return this;
			}
			Object[] array = this.array.clone();
			array[at] = replacementKey;
			array[at + 1] = replacement;
			return new BitmapNode(owner, this.bitmap, array);
		}

		@Override
		Node without(Object key, int hash, int shift) {
			int bit = 1 << index(hash, shift);
			if ((this.bitmap & bit) == 0) {
				return this;
			}
			int at = 2 * position(bit);
			Object k = this.array[at];
			if (k == null) {
				Node child = (Node) this.array[at + 1];
				Node next = child.without(key, hash, shift + BITS);
				if (next == child) {
					return this;
				}
				if (next != null) {
					Object[] array = this.array.clone();
					// A child left with one entry moves up, so that the trie stays as shallow
					// as its entries need.
					Object single = next.singleKey();
					if (single != null) {
						array[at] = single;
						array[at + 1] = next.singleValue();
					}
					else {
						array[at + 1] = next;
					}
					return new BitmapNode(null, this.bitmap, array);
				}
			}
			else if (!key.equals(k)) {
				return this;
			}
			if (this.bitmap == bit) {
				return null;
			}
			Object[] array = new Object[this.array.length - 2];
			System.arraycopy(this.array, 0, array, 0, at);
			System.arraycopy(this.array, at + 2, array, at, this.array.length - at - 2);
			return new BitmapNode(null, this.bitmap & ~bit, array);
		}

		@Override
		void forEach(BiConsumer<Object, Object> action) {
			for (int i = 0; i < this.array.length; i += 2) {
				if (this.array[i] == null) {
					((Node) this.array[i + 1]).forEach(action);
				}
				else {
					action.accept(this.array[i], this.array[i + 1]);
				}
			}
		}

		@Override
		Object singleKey() {
			return (this.array.length == 2) ? this.array[0] : null;
		}

		@Override
		Object singleValue() {
			return this.array[1];
		}

	}

	/** Entries whose keys have the same full hash. */
	private static final class CollisionNode extends Node {

		private final int hash;

		private final Object[] array;

		CollisionNode(int hash, Object[] array) {
			this.hash = hash;
			this.array = array;
		}

		private int find(Object key) {
			for (int i = 0; i < this.array.length; i += 2) {
				if (key.equals(this.array[i])) {
					return i;
				}
			}
			return -1;
		}

		@Override
		Object get(Object key, int hash, int shift) {
			if (hash != this.hash) {
				return null;
			}
			int at = find(key);
			return (at >= 0) ? this.array[at + 1] : null;
		}

		@Override
		Node with(Object owner, Object key, int hash, Object value, int shift, int[] added) {
			if (hash != this.hash) {
				// Keys of another hash: a bitmap node above this one tells them apart.
				Node node = new BitmapNode(owner, 1 << index(this.hash, shift), new Object[] { null, this });
				return node.with(owner, key, hash, value, shift, added);
			}
			int at = find(key);
			if (at >= 0) {
				if (this.array[at + 1] == value) {
					return this;
				}
				Object[] array = this.array.clone();
				array[at + 1] = value;
				return new CollisionNode(hash, array);
			}
			Object[] array = Arrays.copyOf(this.array, this.array.length + 2);
			array[this.array.length] = key;
			array[this.array.length + 1] = value;
			added[0] = 1;
			return new CollisionNode(hash, array);
		}

		@Override
		Node without(Object key, int hash, int shift) {
			int at = (hash == this.hash) ? find(key) : -1;
			if (at < 0) {
				return this;
			}
			if (this.array.length == 2) {
				return null;
			}
			Object[] array = new Object[this.array.length - 2];
			System.arraycopy(this.array, 0, array, 0, at);
			System.arraycopy(this.array, at + 2, array, at, this.array.length - at - 2);
			return new CollisionNode(hash, array);
		}

		@Override
		void forEach(BiConsumer<Object, Object> action) {
			for (int i = 0; i < this.array.length; i += 2) {
				action.accept(this.array[i], this.array[i + 1]);
			}
		}

		@Override
		Object singleKey() {
			return (this.array.length == 2) ? this.array[0] : null;
		}

		@Override
		Object singleValue() {
			return this.array[1];
		}

	}

}
