package io.github.isolation.core.rules;

import java.util.BitSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StickySplitTest {

	private static final int USERS = 100_000;

	@Test
	void shouldHashLikeTheMurmur3ReferenceVectors() {
		// Published vectors of MurmurHash3_x86_32 with seed 0.
		assertThat(StickySplit.murmur3Reference("")).isEqualTo(0);
		assertThat(StickySplit.murmur3Reference("hello")).isEqualTo(0x248bfa47);
		assertThat(StickySplit.murmur3Reference("The quick brown fox jumps over the lazy dog")).isEqualTo(0x2e4ff723);
	}

	@Test
	void shouldHashSaltColonValueWithoutBuildingItLikeTheReference() {
		String[] values = { "", "a", "ab", "abc", "abcd", "user-42", "é", "日本語", "emoji \uD83D\uDE00 x", "lone \uD800",
				"\uDC00 low first" };
		for (String salt : new String[] { "s", "canary-users", "ü" }) {
			for (String value : values) {
				assertThat(StickySplit.murmur3(salt, value)).as("%s:%s", salt, value)
					.isEqualTo(StickySplit.murmur3Reference(salt + ":" + value));
			}
		}
	}

	@Test
	void shouldColourTheShareOfGeneratedUserIdsWithinHalfAPoint() {
		StickySplit split = split(10.0, "canary-users");
		int coloured = 0;
		for (int i = 0; i < USERS; i++) {
			if (split.includes(userId(i))) {
				coloured++;
			}
		}
		assertThat(coloured / (double) USERS).isBetween(0.095, 0.105);
	}

	@Test
	void shouldGiveTheSameIdTheSameAnswerEveryTime() {
		StickySplit split = split(10.0, "canary-users");
		StickySplit again = split(10.0, "canary-users");
		for (int i = 0; i < 10_000; i++) {
			String id = userId(i);
			boolean first = split.includes(id);
			assertThat(split.includes(id)).isEqualTo(first);
			assertThat(again.includes(id)).isEqualTo(first);
		}
	}

	@Test
	void shouldKeepEveryIdThatWasInWhenTheShareGrows() {
		StickySplit ten = split(10.0, "ramp");
		StickySplit thirty = split(30.0, "ramp");
		int inAtTen = 0;
		int inAtThirty = 0;
		for (int i = 0; i < USERS; i++) {
			String id = userId(i);
			if (ten.includes(id)) {
				inAtTen++;
				assertThat(thirty.includes(id)).as(id).isTrue();
			}
			if (thirty.includes(id)) {
				inAtThirty++;
			}
		}
		assertThat(inAtTen).isPositive();
		assertThat(inAtThirty / (double) USERS).isBetween(0.29, 0.31);
	}

	@Test
	void shouldChooseIndependentlyUnderDifferentSalts() {
		StickySplit first = split(10.0, "first-canary");
		StickySplit second = split(20.0, "second-canary");
		BitSet a = new BitSet();
		BitSet b = new BitSet();
		for (int i = 0; i < USERS; i++) {
			a.set(i, first.includes(userId(i)));
			b.set(i, second.includes(userId(i)));
		}
		BitSet both = (BitSet) a.clone();
		both.and(b);
		// Independent: about 10% x 20% = 2% are in both; the same salt would give 10%.
		assertThat(both.cardinality() / (double) USERS).isBetween(0.017, 0.023);
	}

	@Test
	void shouldColourNobodyAtZeroAndEverybodyAtOneHundred() {
		for (int i = 0; i < 1000; i++) {
			assertThat(split(0, "s").includes(userId(i))).isFalse();
			assertThat(split(100, "s").includes(userId(i))).isTrue();
		}
	}

	@Test
	void shouldNotColourARequestWithoutTheKey() {
		EdgeRule rule = new EdgeRule("everyone", io.github.isolation.core.IsolationGroup.of("feature-x"), 0, true,
				null, split(100, "everyone"));
		assertThat(rule.appliesTo(TestRequest.get("/"))).isFalse();
		assertThat(rule.appliesTo(TestRequest.get("/").header("X-User-Id", "u1"))).isTrue();
	}

	@Test
	void shouldRefuseAShareOutsideZeroToOneHundred() {
		assertThatThrownBy(() -> new StickySplit(ConditionSource.HEADER, "x-user-id", 10_001, "s"))
			.isInstanceOf(RuleValidationException.class)
			.hasMessage("percent must be 0 to 100, but was 100.01");
		assertThatThrownBy(() -> new StickySplit(ConditionSource.PATH, "x", 10, "s"))
			.hasMessageStartingWith("key must be header:NAME, cookie:NAME or query:NAME");
	}

	private static StickySplit split(double percent, String salt) {
		return new StickySplit(ConditionSource.HEADER, "x-user-id", (int) Math.round(percent * 100), salt);
	}

	// Ids shaped like real ones, fixed by the index so every run sees the same population.
	private static String userId(int i) {
		return new UUID(0x5eed_0000_0000_0000L + i, ~(long) i * 0x9e3779b97f4a7c15L).toString();
	}

}
