package io.github.isolation.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class FailFastServicesTest {

	private static final String RULE = "fail-fast service id must be 1 to 128 lower-case characters of [a-z0-9._-],"
			+ " but was ";

	private final List<TagRejection> rejections = new ArrayList<>();

	@Test
	void shouldNormalizeTrustedIdsToLowerCaseWithoutSurroundingWhitespace() {
		// when
		FailFastServices failFast = FailFastServices.of(List.of("Inventory", " BILLING ", "search-v2.eu_1"));

		// then
		assertThat(failFast.serviceIds()).containsExactlyInAnyOrder("inventory", "billing", "search-v2.eu_1");
	}

	@Test
	void shouldGiveNoneForNoTrustedIds() {
		assertThat(FailFastServices.of(List.of())).isEqualTo(FailFastServices.NONE);
		assertThat(FailFastServices.NONE.isEmpty()).isTrue();
	}

	static Stream<Arguments> malformedTrustedIds() {
		return Stream.of(
				arguments("", "''"),
				arguments("   ", "''"),
				arguments("inven tory", "'inven tory'"),
				arguments("Inven\nTory", "'inven\\u000atory'"),
				arguments("caf\u00e9", "'caf\\u00e9'"),
				arguments("\u212Aafka", "'\\u212aafka'"), // Kelvin sign, which String.toLowerCase turns into 'k'
				arguments("a".repeat(129), "'" + "a".repeat(LogSafe.MAX_SHOWN) + "'... (129 chars)"));
	}

	@ParameterizedTest(name = "[{index}] {1}")
	@MethodSource("malformedTrustedIds")
	void shouldRejectAMalformedTrustedIdSayingTheRuleAndTheValue(String serviceId, String shown) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FailFastServices.of(List.of("inventory", serviceId)))
			.withMessage(RULE + shown);
	}

	@Test
	void shouldRejectANullTrustedIdWithTheSameClearMessage() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FailFastServices.of(Arrays.asList("inventory", null)))
			.withMessage(RULE + "null");
	}

	@Test
	void shouldRejectUpperCaseIdsGivenToTheConstructorDirectly() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FailFastServices(Set.of("Inventory")))
			.withMessage(RULE + "'Inventory'");
	}

	static Stream<Arguments> lists() {
		return Stream.of(
				arguments("inventory", Set.of("inventory"), List.of()),
				arguments(" inventory ,  billing\t", Set.of("inventory", "billing"), List.of()),
				arguments("inventory,,billing,", Set.of("inventory", "billing"), List.of()),
				arguments(",, ,\t,", Set.of(), List.of()),
				arguments("Inventory,INVENTORY,inventory", Set.of("inventory"), List.of()),
				arguments("inventory,bad id,caf\u00e9,x", Set.of("inventory", "x"),
						List.of(TagRejection.INVALID_CHARACTERS, TagRejection.INVALID_CHARACTERS)),
				arguments("inventory,inv\u0000entory,\u212Aafka", Set.of("inventory"),
						List.of(TagRejection.INVALID_CHARACTERS, TagRejection.INVALID_CHARACTERS)),
				arguments("billing," + "a".repeat(129) + ",search", Set.of("billing", "search"),
						List.of(TagRejection.TOO_LONG)),
				arguments("a".repeat(128), Set.of("a".repeat(128)), List.of()));
	}

	@ParameterizedTest(name = "[{index}] {1} {2}")
	@MethodSource("lists")
	void shouldParseAnUntrustedListReportingEachDroppedEntry(String raw, Set<String> expected,
			List<TagRejection> expectedRejections) {
		// when
		FailFastServices failFast = FailFastServices.parse(raw, this.rejections::add);

		// then
		assertThat(failFast.serviceIds()).isEqualTo(expected);
		assertThat(this.rejections).containsExactlyElementsOf(expectedRejections);
	}

	@ParameterizedTest
	@NullAndEmptySource
	void shouldParseAnAbsentListAsNone(String raw) {
		assertThat(FailFastServices.parse(raw, this.rejections::add)).isEqualTo(FailFastServices.NONE);
		assertThat(this.rejections).isEmpty();
	}

	@Test
	void shouldKeepAtMostMaxEntriesAndReportTheRestOnce() {
		// given
		String raw = ids(0, 40).collect(Collectors.joining(","));

		// when
		FailFastServices failFast = FailFastServices.parse(raw, this.rejections::add);

		// then
		assertThat(failFast.serviceIds()).hasSize(FailFastServices.MAX_ENTRIES)
			.containsExactlyInAnyOrderElementsOf(ids(0, FailFastServices.MAX_ENTRIES).toList());
		assertThat(this.rejections).containsExactly(TagRejection.TOO_MANY_ENTRIES);
	}

	@Test
	void shouldNotReportExactlyMaxEntriesOrDuplicatesOfKeptEntriesAsTooMany() {
		// given
		String raw = ids(0, FailFastServices.MAX_ENTRIES).collect(Collectors.joining(",")) + ",S0, s1 ,s31";

		// when
		FailFastServices failFast = FailFastServices.parse(raw, this.rejections::add);

		// then
		assertThat(failFast.serviceIds()).hasSize(FailFastServices.MAX_ENTRIES);
		assertThat(this.rejections).isEmpty();
	}

	@Test
	void shouldAcceptAValueOfExactlyMaxValueLength() {
		// given
		String raw = "a,".repeat(1023) + "bc";

		// when
		FailFastServices failFast = FailFastServices.parse(raw, this.rejections::add);

		// then
		assertThat(raw.length()).isEqualTo(FailFastServices.MAX_VALUE_LENGTH);
		assertThat(failFast.serviceIds()).containsExactlyInAnyOrder("a", "bc");
		assertThat(this.rejections).isEmpty();
	}

	@Test
	void shouldDropAValueLongerThanMaxValueLengthWhole() {
		// given
		String raw = "inventory," + "a,".repeat(1019) + "b";

		// when
		FailFastServices failFast = FailFastServices.parse(raw, this.rejections::add);

		// then
		assertThat(raw.length()).isEqualTo(FailFastServices.MAX_VALUE_LENGTH + 1);
		assertThat(failFast).isEqualTo(FailFastServices.NONE);
		assertThat(this.rejections).containsExactly(TagRejection.TOO_LONG);
	}

	@Test
	void shouldStayBoundedOnAListOfTenThousandEntries() {
		// given
		String raw = ids(0, 10_000).collect(Collectors.joining(","));

		// when
		FailFastServices failFast = FailFastServices.parse(raw, this.rejections::add);

		// then
		assertThat(failFast.serviceIds()).hasSizeLessThanOrEqualTo(FailFastServices.MAX_ENTRIES);
		assertThat(this.rejections).containsExactly(TagRejection.TOO_LONG);
	}

	@Test
	void shouldUniteTheRequestListAndTheConfiguredOne() {
		// given
		FailFastServices fromRequest = FailFastServices.parse("inventory,billing", this.rejections::add);
		FailFastServices configured = FailFastServices.of(List.of("Billing", "search"));

		// when
		FailFastServices union = fromRequest.union(configured);

		// then
		assertThat(union.serviceIds()).containsExactlyInAnyOrder("inventory", "billing", "search");
		assertThat(configured.union(fromRequest)).isEqualTo(union);
		assertThat(fromRequest.union(FailFastServices.NONE)).isEqualTo(fromRequest);
		assertThat(FailFastServices.NONE.union(configured)).isEqualTo(configured);
	}

	@ParameterizedTest
	@ValueSource(strings = { "inventory", "inventory,billing,search-v2.eu_1", "a,b,c,d,e,f,g,h" })
	void shouldReadItsOwnHeaderValueBack(String ids) {
		// given
		FailFastServices original = FailFastServices.of(List.of(ids.split(",")));

		// when
		FailFastServices readBack = FailFastServices.parse(original.toHeaderValue(), this.rejections::add);

		// then
		assertThat(readBack).isEqualTo(original);
		assertThat(this.rejections).isEmpty();
	}

	@Test
	void shouldWriteNothingForNone() {
		assertThat(FailFastServices.NONE.toHeaderValue()).isEmpty();
		assertThat(FailFastServices.parse(FailFastServices.NONE.toHeaderValue(), this.rejections::add))
			.isEqualTo(FailFastServices.NONE);
	}

	@Test
	void shouldContainAServiceIgnoringCase() {
		// given
		FailFastServices failFast = FailFastServices.of(List.of("Inventory", "kafka"));

		// then
		assertThat(failFast.contains("inventory")).isTrue();
		assertThat(failFast.contains("INVENTORY")).isTrue();
		assertThat(failFast.contains("inVentOry")).isTrue();
		assertThat(failFast.contains("billing")).isFalse();
		assertThat(failFast.contains("inventory2")).isFalse();
		assertThat(failFast.contains("\u212Aafka")).isFalse();
		assertThat(FailFastServices.NONE.contains("inventory")).isFalse();
	}

	private static Stream<String> ids(int from, int to) {
		return IntStream.range(from, to).mapToObj((i) -> "s" + i);
	}

}
