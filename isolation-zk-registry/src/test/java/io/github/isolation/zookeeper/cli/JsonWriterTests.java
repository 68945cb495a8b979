package io.github.isolation.zookeeper.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonWriterTests {

	@Test
	void shouldWriteMapsInTheirOrderWithTypedValues() {
		Map<String, Object> object = new LinkedHashMap<>();
		object.put("id", "canary");
		object.put("priority", 10);
		object.put("percent", 12.5);
		object.put("enabled", true);
		object.put("salt", null);
		object.put("values", List.of("ios", "android"));

		assertThat(JsonWriter.write(List.of(object, Map.of())))
			.isEqualTo("[{\"id\":\"canary\",\"priority\":10,\"percent\":12.5,\"enabled\":true,\"salt\":null,"
					+ "\"values\":[\"ios\",\"android\"]},{}]");
	}

	@Test
	void shouldEscapeWhatJsonRequiresSoThatANodeCannotBreakTheOutput() {
		String nasty = "a\"b\\c\nd\re\tf\u0000g\u001fh\u2028i/é";

		assertThat(JsonWriter.write(Arrays.asList(nasty)))
			.isEqualTo("[\"a\\\"b\\\\c\\nd\\re\\tf\\u0000g\\u001fh\\u2028i/é\"]");
	}

	@Test
	void shouldRefuseNumbersThatJsonCannotHold() {
		assertThatIllegalArgumentException().isThrownBy(() -> JsonWriter.write(List.of(Double.NaN)))
			.withMessageContaining("NaN");
	}

}
