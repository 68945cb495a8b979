package io.github.isolation.core.rules;

import java.nio.charset.StandardCharsets;

/**
 * The sticky share of a rule: which request carries a key (a header, cookie or query parameter)
 * and what share of the key's values the rule colours.
 *
 * <p>A value is in the share when murmur3 (32 bits, seed 0) of the UTF-8 bytes of
 * {@code salt + ":" + value}, read unsigned, modulo 10,000 is below {@code percent * 100}. So
 * the same value always gets the same answer, raising the percentage only adds values, and two
 * rules with different salts choose independently of each other. A request without the key is
 * not in the share.
 *
 * @param keySource where the key is: header, cookie or query
 * @param keyName the key's name (lower case for a header)
 * @param basisPoints the share in hundredths of a percent, 0 to 10,000
 * @param salt the salt, by default the rule's id
 * @since 0.1.0
 */
public record StickySplit(ConditionSource keySource, String keyName, int basisPoints, String salt) {

	/** How many buckets the hash is cut into: percent with two decimals. */
	public static final int BUCKETS = 10_000;

	/** The longest salt. */
	public static final int MAX_SALT_LENGTH = 256;

	public StickySplit {
		if (keySource == null || !keySource.isNamed()) {
			throw new RuleValidationException("key", "must be header:NAME, cookie:NAME or query:NAME, but was "
					+ Rules.quote(String.valueOf(keySource) + ":" + keyName));
		}
		if (keyName == null || keyName.isEmpty() || keyName.length() > Condition.MAX_NAME_LENGTH) {
			throw new RuleValidationException("key", "must name a " + keySource + " of 1 to "
					+ Condition.MAX_NAME_LENGTH + " characters, but was " + Rules.quote(keySource + ":" + keyName));
		}
		if (keySource == ConditionSource.HEADER) {
			keyName = Condition.lowerCase(keyName);
		}
		if (basisPoints < 0 || basisPoints > BUCKETS) {
			throw new RuleValidationException("percent", "must be 0 to 100, but was " + (basisPoints / 100.0));
		}
		if (salt == null || salt.isEmpty() || salt.length() > MAX_SALT_LENGTH) {
			throw new RuleValidationException("salt", "must be 1 to " + MAX_SALT_LENGTH + " characters, but was "
					+ Rules.quote(salt));
		}
	}

	/**
	 * The key as written in a rule.
	 * @return such as {@code header:x-user-id}
	 */
	public String key() {
		return this.keySource.wireName() + ":" + this.keyName;
	}

	/**
	 * The share as a percentage.
	 * @return 0 to 100, with at most two decimals
	 */
	public double percent() {
		return this.basisPoints / 100.0;
	}

	/**
	 * Whether a key value is in the share.
	 * @param value the key's value
	 * @return {@code true} if the rule colours requests with this value
	 */
	public boolean includes(String value) {
		return bucket(this.salt, value) < this.basisPoints;
	}

	/**
	 * The bucket of a value under a salt.
	 * @param salt the salt
	 * @param value the value
	 * @return 0 to 9,999
	 */
	public static int bucket(String salt, String value) {
		return (int) (Integer.toUnsignedLong(murmur3(salt, value)) % BUCKETS);
	}

	/**
	 * Murmur3 (x86, 32 bits, seed 0) of the UTF-8 bytes of {@code salt + ":" + value}, computed
	 * without building the string or its bytes.
	 * @param salt the salt
	 * @param value the value
	 * @return the hash
	 */
	static int murmur3(String salt, String value) {
		int h = 0;
		int k = 0;
		int length = 0;
		int saltLength = salt.length();
		int total = saltLength + 1 + value.length();
		for (int i = 0; i < total; i++) {
			char c = (i < saltLength) ? salt.charAt(i) : (i == saltLength) ? ':' : value.charAt(i - saltLength - 1);
			// The char's UTF-8 bytes, first byte lowest, and how many there are.
			int bytes;
			int count;
			if (c < 0x80) {
				bytes = c;
				count = 1;
			}
			else if (c < 0x800) {
				bytes = (0xc0 | (c >> 6)) | (0x80 | (c & 0x3f)) << 8;
				count = 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < total && i + 1 != saltLength && i != saltLength
					&& Character.isLowSurrogate(charAt(salt, value, i + 1))) {
				int cp = Character.toCodePoint(c, charAt(salt, value, ++i));
				bytes = (0xf0 | (cp >> 18)) | (0x80 | ((cp >> 12) & 0x3f)) << 8 | (0x80 | ((cp >> 6) & 0x3f)) << 16
						| (0x80 | (cp & 0x3f)) << 24;
				count = 4;
			}
			else if (Character.isSurrogate(c)) {
				// A lone surrogate: String.getBytes(UTF_8) writes '?' for it.
				bytes = '?';
				count = 1;
			}
			else {
				bytes = (0xe0 | (c >> 12)) | (0x80 | ((c >> 6) & 0x3f)) << 8 | (0x80 | (c & 0x3f)) << 16;
				count = 3;
			}
			for (int b = 0; b < count; b++) {
				k |= ((bytes >>> (8 * b)) & 0xff) << ((length & 3) * 8);
				length++;
				if ((length & 3) == 0) {
					h = mixH(h, mixK(k));
					k = 0;
				}
			}
		}
		if ((length & 3) != 0) {
			h ^= mixK(k);
		}
		return finish(h, length);
	}

	private static char charAt(String salt, String value, int i) {
		int saltLength = salt.length();
		return (i < saltLength) ? salt.charAt(i) : (i == saltLength) ? ':' : value.charAt(i - saltLength - 1);
	}

	/**
	 * Murmur3 (x86, 32 bits, seed 0) of bytes, the reference the streaming form is tested against.
	 * @param text the text whose UTF-8 bytes are hashed
	 * @return the hash
	 */
	static int murmur3Reference(String text) {
		byte[] data = text.getBytes(StandardCharsets.UTF_8);
		int h = 0;
		int blocks = data.length / 4;
		for (int i = 0; i < blocks; i++) {
			int k = (data[4 * i] & 0xff) | (data[4 * i + 1] & 0xff) << 8 | (data[4 * i + 2] & 0xff) << 16
					| (data[4 * i + 3] & 0xff) << 24;
			h = mixH(h, mixK(k));
		}
		int k = 0;
		int tail = data.length & 3;
		for (int i = tail - 1; i >= 0; i--) {
			k = (k << 8) | (data[4 * blocks + i] & 0xff);
		}
		if (tail > 0) {
			h ^= mixK(k);
		}
		return finish(h, data.length);
	}

	private static int mixK(int k) {
		k *= 0xcc9e2d51;
		k = Integer.rotateLeft(k, 15);
		return k * 0x1b873593;
	}

	private static int mixH(int h, int k) {
		h ^= k;
		h = Integer.rotateLeft(h, 13);
		return h * 5 + 0xe6546b64;
	}

	private static int finish(int h, int length) {
		h ^= length;
		h ^= h >>> 16;
		h *= 0x85ebca6b;
		h ^= h >>> 13;
		h *= 0xc2b2ae35;
		h ^= h >>> 16;
		return h;
	}

}
