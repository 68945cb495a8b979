package io.github.isolation.zookeeper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HashTrieTests {

	@Test
	void shouldAnswerAsAHashMapDoesThroughRandomPutsAndRemoves() {
		Random random = new Random(17);
		for (int round = 0; round < 12; round++) {
			int range = 1 + random.nextInt(5_000);
			Map<Key, Integer> expected = new HashMap<>();
			HashTrie<Key, Integer> trie = HashTrie.empty();
			for (int step = 0; step < 20_000; step++) {
				// Few distinct hashes in some rounds, so that collision nodes are exercised too.
				Key key = new Key(random.nextInt(range), (round % 3 == 0) ? 64 : Integer.MAX_VALUE);
				HashTrie<Key, Integer> before = trie;
				Map<Key, Integer> expectedBefore = new HashMap<>(expected);
				if (random.nextInt(3) == 0) {
					expected.remove(key);
					trie = trie.without(key);
				}
				else {
					int value = random.nextInt(4);
					expected.put(key, value);
					trie = trie.with(key, value);
				}
				assertThat(trie.size()).isEqualTo(expected.size());
				assertThat(trie.get(key)).isEqualTo(expected.get(key));
				if (step % 4_000 == 0) {
					assertSame(trie, expected);
					// The map before the change is untouched by it.
					assertSame(before, expectedBefore);
				}
			}
			assertSame(trie, expected);
			for (Key key : new ArrayList<>(expected.keySet())) {
				trie = trie.without(key);
			}
			assertThat(trie.isEmpty()).isTrue();
		}
	}

	@Test
	void shouldBuildTheSameMapInPlaceAsByPersistentPuts() {
		Random random = new Random(3);
		HashTrie.Builder<Key, Integer> builder = HashTrie.builder();
		Map<Key, Integer> expected = new HashMap<>();
		for (int i = 0; i < 50_000; i++) {
			Key key = new Key(random.nextInt(40_000), (i % 2 == 0) ? 1_000 : Integer.MAX_VALUE);
			builder.put(key, i);
			expected.put(key, i);
		}
		HashTrie<Key, Integer> built = builder.build();
		assertSame(built, expected);
		// A change after building copies, and leaves the built map as it was.
		Key first = expected.keySet().iterator().next();
		HashTrie<Key, Integer> changed = built.with(first, -1).without(new Key(1, 1_000));
		assertThat(changed.get(first)).isEqualTo(-1);
		assertSame(built, expected);
	}

	@Test
	void shouldReturnItselfForAChangeThatChangesNothing() {
		HashTrie<String, String> trie = HashTrie.<String, String>empty().with("a", "x");
		assertThat(trie.with("a", trie.get("a"))).isSameAs(trie);
		assertThat(trie.without("b")).isSameAs(trie);
		assertThat(trie.without("a").isEmpty()).isTrue();
	}

	private static void assertSame(HashTrie<Key, Integer> trie, Map<Key, Integer> expected) {
		assertThat(trie.size()).isEqualTo(expected.size());
		Map<Key, Integer> seen = new HashMap<>();
		trie.forEach((key, value) -> assertThat(seen.put(key, value)).isNull());
		assertThat(seen).isEqualTo(expected);
		for (Map.Entry<Key, Integer> entry : expected.entrySet()) {
			assertThat(trie.get(entry.getKey())).isEqualTo(entry.getValue());
		}
		List<Key> absent = List.of(new Key(-1, 64), new Key(-2, Integer.MAX_VALUE));
		for (Key key : absent) {
			assertThat(trie.get(key)).isNull();
		}
	}

	/** A key whose hash is its id modulo {@code hashes}: many keys per hash when that is small. */
	private record Key(int id, int hashes) {

		@Override
		public int hashCode() {
			return Integer.remainderUnsigned(this.id * 0x9E3779B9, this.hashes);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Key key && key.id == this.id;
		}

	}

}
