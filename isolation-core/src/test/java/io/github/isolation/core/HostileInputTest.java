package io.github.isolation.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Random values as they could arrive in a header or a baggage entry. The seed is fixed so that a
 * failure names an input that can be generated again.
 */
class HostileInputTest {

	private static final long SEED = 20_240_611L;

	private static final int INPUTS = 10_000;

	private static final int LONGEST_INPUT = 100_000;

	/** The rule of DESIGN.md section 3, written independently of {@link IsolationGroup#check}. */
	private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

	private static final Pattern SERVICE_ID = Pattern.compile("[a-z0-9._-]{1,128}");

	private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7e]*");

	/** Quotes, every shown character escaped to six, and the " ... (N chars)" suffix. */
	private static final int LONGEST_QUOTE = 2 + 6 * LogSafe.MAX_SHOWN + 32;

	private static final String NEAR_VALID = "abcdefghijklmnopqrstuvwxyz0123456789._-";

	@Test
	void shouldHandleRandomNetworkValuesSafely() {
		// given
		Random random = new Random(SEED);
		Tally tally = new Tally();

		for (int i = 0; i < INPUTS; i++) {
			String input = randomValue(random);
			int index = i;

			// when / then
			assertThatCode(() -> assertHandledSafely(input, tally))
				.as(() -> "input #" + index + " of seed " + SEED + " (" + input.length() + " chars)")
				.doesNotThrowAnyException();
		}

		// then: the inputs reached the accepting paths too, so the checks above were not vacuous
		assertThat(tally.parsedGroups).as("inputs parsed as a group").isGreaterThan(INPUTS / 20);
		assertThat(tally.rejectedGroups).as("inputs rejected as a group").isGreaterThan(INPUTS / 2);
		assertThat(tally.failFastEntries).as("fail-fast entries kept").isGreaterThan(INPUTS / 10);
		assertThat(tally.failFastRejections).as("fail-fast entries rejected").isGreaterThan(INPUTS / 10);
		assertThat(tally.truncatedLists).as("lists cut at MAX_ENTRIES").isGreaterThan(10);
		assertThat(tally.longInputs).as("inputs over MAX_VALUE_LENGTH").isGreaterThan(INPUTS / 100);
	}

	private static void assertHandledSafely(String input, Tally tally) {
		assertGroupParsedByTheRule(input, tally);
		assertFailFastListBounded(input, tally);
		assertLogSafe(input);
	}

	private static void assertGroupParsedByTheRule(String input, Tally tally) {
		boolean valid = GROUP_NAME.matcher(input).matches();
		assertThat(IsolationGroup.check(input) == null).as("check agrees with the rule").isEqualTo(valid);

		Optional<IsolationGroup> parsed = IsolationGroup.parse(input);
		String stripped = trimSpacesAndTabs(input);
		if (parsed.isPresent()) {
			tally.parsedGroups++;
			assertThat(parsed.get().name()).matches(GROUP_NAME).isEqualTo(stripped);
		}
		else {
			tally.rejectedGroups++;
			// Anything short enough that is valid once trimmed must be accepted.
			assertThat(input.length() <= IsolationGroup.MAX_LENGTH && GROUP_NAME.matcher(stripped).matches())
				.as("a valid name was rejected").isFalse();
		}
	}

	private static void assertFailFastListBounded(String input, Tally tally) {
		List<TagRejection> rejections = new ArrayList<>();
		FailFastServices failFast = FailFastServices.parse(input, rejections::add);
		Set<String> serviceIds = failFast.serviceIds();

		assertThat(serviceIds).hasSizeLessThanOrEqualTo(FailFastServices.MAX_ENTRIES)
			.allSatisfy((id) -> assertThat(id).hasSizeLessThanOrEqualTo(FailFastServices.MAX_SERVICE_ID_LENGTH)
				.matches(SERVICE_ID));
		assertThat(rejections).doesNotContainNull();
		if (input.length() > FailFastServices.MAX_VALUE_LENGTH) {
			tally.longInputs++;
			assertThat(serviceIds).isEmpty();
			assertThat(rejections).containsExactly(TagRejection.TOO_LONG);
			return;
		}
		Set<String> entries = Arrays.stream(input.split(",", -1))
			.map((entry) -> trimSpacesAndTabs(entry).toLowerCase(Locale.ROOT))
			.collect(Collectors.toSet());
		assertThat(entries).as("every kept id was an entry of the list").containsAll(serviceIds);
		assertThat(rejections.stream().filter((r) -> r == TagRejection.TOO_MANY_ENTRIES)).hasSizeLessThanOrEqualTo(1);
		assertThat(rejections).hasSizeLessThanOrEqualTo(entries.size() + 1);
		tally.failFastEntries += serviceIds.size();
		tally.failFastRejections += rejections.size();
		if (rejections.contains(TagRejection.TOO_MANY_ENTRIES)) {
			tally.truncatedLists++;
			assertThat(serviceIds).hasSize(FailFastServices.MAX_ENTRIES);
		}
	}

	// HTTP's optional whitespace, and no other: a Unicode space around a name is not ignored.
	private static String trimSpacesAndTabs(String value) {
		return value.replaceAll("^[ \\t]+|[ \\t]+$", "");
	}

	private static void assertLogSafe(String input) {
		String quoted = LogSafe.quote(input);
		assertThat(quoted.length()).isLessThanOrEqualTo(LONGEST_QUOTE);
		assertThat(PRINTABLE_ASCII.matcher(quoted).matches()).as("only printable ASCII in %s", quoted).isTrue();
	}

	private static String randomValue(Random random) {
		int kind = random.nextInt(100);
		if (kind < 15) {
			return randomString(random, 1 + random.nextInt(40), HostileInputTest::printableAscii);
		}
		if (kind < 25) {
			return randomString(random, 1 + random.nextInt(40), HostileInputTest::controlOrLetter);
		}
		if (kind < 35) {
			return randomString(random, 1 + random.nextInt(40), HostileInputTest::anyUtf16Unit);
		}
		if (kind < 38) {
			return randomString(random, 1 + random.nextInt(LONGEST_INPUT), HostileInputTest::anything);
		}
		if (kind < 60) {
			return commaHeavy(random);
		}
		return nearValidName(random);
	}

	/** Mostly valid names, some padded, mis-cased, over-long or with one bad character. */
	private static String nearValidName(Random random) {
		StringBuilder name = new StringBuilder(randomString(random, random.nextInt(70), HostileInputTest::nearValid));
		switch (random.nextInt(8)) {
			case 0 -> name.insert(0, " \t".charAt(random.nextInt(2))).append(' ');
			case 1 -> name.insert(0, (char) ('A' + random.nextInt(26)));
			case 2 -> name.insert(random.nextInt(name.length() + 1), anything(random));
			default -> {
			}
		}
		return name.toString();
	}

	/** Lists of near-valid ids with empty, blank, duplicated, mis-cased, long and hostile entries. */
	private static String commaHeavy(Random random) {
		int entries = random.nextInt(random.nextBoolean() ? 10 : 400);
		StringBuilder list = new StringBuilder();
		for (int i = 0; i < entries; i++) {
			if (i > 0) {
				list.append(random.nextInt(10) == 0 ? ",," : ",");
			}
			switch (random.nextInt(12)) {
				case 0 -> list.append(' ');
				case 1 -> list.append(randomString(random, 1 + random.nextInt(200), HostileInputTest::nearValid));
				case 2 -> list.append(randomString(random, 1 + random.nextInt(10), HostileInputTest::anything));
				case 3 -> list.append(" S").append(random.nextInt(5)).append('\t');
				default -> list.append(randomString(random, 1 + random.nextInt(8), HostileInputTest::nearValid));
			}
		}
		return list.toString();
	}

	private interface CharSource {

		char next(Random random);

	}

	private static String randomString(Random random, int length, CharSource source) {
		char[] chars = new char[length];
		for (int i = 0; i < length; i++) {
			chars[i] = source.next(random);
		}
		return new String(chars);
	}

	private static char printableAscii(Random random) {
		return (char) (0x20 + random.nextInt(0x7f - 0x20));
	}

	private static char controlOrLetter(Random random) {
		return random.nextBoolean() ? (char) random.nextInt(0x20) : (char) ('a' + random.nextInt(26));
	}

	private static char anyUtf16Unit(Random random) {
		return (char) random.nextInt(Character.MAX_VALUE + 1);
	}

	private static char nearValid(Random random) {
		return NEAR_VALID.charAt(random.nextInt(NEAR_VALID.length()));
	}

	private static char anything(Random random) {
		return switch (random.nextInt(5)) {
			case 0 -> printableAscii(random);
			case 1 -> controlOrLetter(random);
			case 2 -> anyUtf16Unit(random);
			case 3 -> ',';
			default -> nearValid(random);
		};
	}

	private static final class Tally {

		int parsedGroups;

		int rejectedGroups;

		int failFastEntries;

		int failFastRejections;

		int truncatedLists;

		int longInputs;

	}

}
