package io.github.isolation.core;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link W3cBaggage}: explicit cases, and random headers checked against the format's
 * rules written out independently.
 */
class W3cBaggageTest {

	private static final long SEED = 20_261_205L;

	private static final String KEY = IsolationTags.GROUP;

	@Test
	void shouldReadAnEntryAmongOthersWithoutItsProperties() {
		assertThat(W3cBaggage.valueOf(List.of("user=1;p, isolation-group = feature-x ;ttl=5,x=y"), KEY))
			.isEqualTo("feature-x");
	}

	@Test
	void shouldPercentDecodeTheValue() {
		assertThat(W3cBaggage.valueOf(List.of("isolation-fail-fast=b%2Cc"), IsolationTags.FAIL_FAST)).isEqualTo("b,c");
		assertThat(W3cBaggage.valueOf(List.of("isolation-group=%E2%80%A8"), KEY)).isEqualTo("\u2028");
	}

	@Test
	void shouldLetTheFirstEntryWithTheKeyDecideAcrossHeaders() {
		List<TagRejection> rejections = new ArrayList<>();

		String value = W3cBaggage.valueOf(List.of("a=1", "isolation-group=%ZZ", "isolation-group=feature-x"), KEY,
				rejections::add);

		assertThat(value).isNull();
		assertThat(rejections).containsExactly(TagRejection.INVALID_CHARACTERS);
		assertThat(W3cBaggage.valueOf(List.of("isolation-group=feature-y,isolation-group=feature-x"), KEY))
			.isEqualTo("feature-y");
	}

	@Test
	void shouldMatchTheKeyExactly() {
		assertThat(W3cBaggage.valueOf(List.of("Isolation-Group=feature-x"), KEY)).isNull();
		assertThat(W3cBaggage.valueOf(List.of("isolation-group-x=feature-x"), KEY)).isNull();
		assertThat(W3cBaggage.valueOf(List.of("x;isolation-group=feature-x"), KEY)).isNull();
	}

	@Test
	void shouldDropNonAsciiAndBrokenEscapesAndSayWhy() {
		for (String header : List.of("isolation-group=f\u00e9ature", "isolation-group=feature%2", "isolation-group=%G0")) {
			List<TagRejection> rejections = new ArrayList<>();

			assertThat(W3cBaggage.valueOf(List.of(header), KEY, rejections::add)).as(header).isNull();
			assertThat(rejections).as(header).containsExactly(TagRejection.INVALID_CHARACTERS);
		}
	}

	@Test
	void shouldDropAnOversizeHeaderHoldingTheKeyAndSayWhy() {
		String oversize = "isolation-group=feature-x," + "x=" + "y".repeat(W3cBaggage.MAX_HEADER_LENGTH);
		List<TagRejection> rejections = new ArrayList<>();

		assertThat(W3cBaggage.valueOf(List.of(oversize, "isolation-group=feature-y"), KEY, rejections::add)).isNull();
		assertThat(rejections).containsExactly(TagRejection.TOO_LONG);
	}

	@Test
	void shouldSkipAnOversizeHeaderWithoutTheKeySilently() {
		String oversize = "x=" + "y".repeat(W3cBaggage.MAX_HEADER_LENGTH);
		List<TagRejection> rejections = new ArrayList<>();

		assertThat(W3cBaggage.valueOf(List.of(oversize, "isolation-group=feature-y"), KEY, rejections::add))
			.isEqualTo("feature-y");
		assertThat(rejections).isEmpty();
	}

	@Test
	void shouldReadRandomHeadersAsTheFormatSays() {
		Random random = new Random(SEED);
		int found = 0;
		int rejected = 0;
		for (int i = 0; i < 20_000; i++) {
			List<String> entries = new ArrayList<>();
			for (int n = random.nextInt(6); n >= 0; n--) {
				entries.add(entry(random));
			}
			String header = String.join(random.nextBoolean() ? "," : " , ", entries);
			List<TagRejection> rejections = new ArrayList<>();

			String value = W3cBaggage.valueOf(List.of(header), KEY, rejections::add);

			String expected = expected(header);
			assertThat(value).as(header).isEqualTo(expected);
			assertThat(rejections).as(header).hasSizeLessThanOrEqualTo(1);
			assertThat(rejections.isEmpty()).as(header).isEqualTo(expected != null || !hasKeyEntry(header));
			found += (value != null) ? 1 : 0;
			rejected += rejections.size();
		}
		assertThat(found).as("headers with a readable entry").isGreaterThan(2_000);
		assertThat(rejected).as("headers with an entry dropped").isGreaterThan(500);
	}

	private static String entry(Random random) {
		String key = switch (random.nextInt(6)) {
			case 0, 1, 2 -> KEY;
			case 3 -> "Isolation-Group";
			case 4 -> " " + KEY + "\t";
			default -> "k" + random.nextInt(10);
		};
		StringBuilder value = new StringBuilder();
		for (int i = random.nextInt(12); i > 0; i--) {
			value.append(switch (random.nextInt(10)) {
				case 0 -> "%" + Integer.toHexString(0x10 + random.nextInt(0xf0)).toUpperCase();
				case 1 -> "%" + (char) ('g' + random.nextInt(10));
				case 2 -> (char) (0x80 + random.nextInt(0x300));
				case 3 -> ' ';
				case 4 -> '=';
				default -> (char) ('a' + random.nextInt(26));
			});
		}
		String properties = switch (random.nextInt(4)) {
			case 0 -> ";p";
			case 1 -> ";p=1;q";
			default -> "";
		};
		return key + "=" + value + properties;
	}

	// The format, written out: entries split at commas, properties cut at the first semicolon,
	// key and value trimmed of spaces and tabs, the value percent-decoded as UTF-8 (ASCII only
	// before decoding); the first entry with the key decides.
	private static String expected(String header) {
		for (String entry : header.split(",", -1)) {
			String member = entry.split(";", -1)[0];
			int eq = member.indexOf('=');
			if (eq <= 0 || !member.substring(0, eq).replaceAll("^[ \\t]+|[ \\t]+$", "").equals(KEY)) {
				continue;
			}
			String raw = member.substring(eq + 1).replaceAll("^[ \\t]+|[ \\t]+$", "");
			if (!raw.chars().allMatch((c) -> c < 0x80) || !raw.matches("([^%]|%[0-9A-Fa-f]{2})*")) {
				return null;
			}
			return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
		}
		return null;
	}

	private static boolean hasKeyEntry(String header) {
		for (String entry : header.split(",", -1)) {
			String member = entry.split(";", -1)[0];
			int eq = member.indexOf('=');
			if (eq > 0 && member.substring(0, eq).replaceAll("^[ \\t]+|[ \\t]+$", "").equals(KEY)) {
				return true;
			}
		}
		return false;
	}

}
