package io.github.isolation.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration reference, {@code docs/configuration.md}, against the configuration
 * metadata the build generates from the properties classes: the document lists every property
 * of the metadata and no other, each with the metadata's type and, where the metadata has one,
 * its default value.
 *
 * <p>The document's property tables are the Markdown tables whose header row is
 * {@value #TABLE_HEADER}; the first column of each row is the property name in backticks, the
 * second its type and the third its default, each in backticks. Other tables are not read.
 */
class ConfigurationDocumentationTests {

	// Surefire runs with the module directory as the working directory.
	private static final Path DOCUMENT = Path.of("..", "docs", "configuration.md");

	private static final String TABLE_HEADER = "| Property | Type | Default | Description |";

	private static final Pattern PROPERTY_NAME = Pattern.compile("`([a-z0-9][a-z0-9.\\-]*)`");

	private static final Pattern SINGLE_CODE_SPAN = Pattern.compile("`([^`]*)`");

	// Package prefixes of a Java type name, such as "java.util." in "java.util.List<java.lang.String>".
	private static final Pattern PACKAGE_PREFIX = Pattern.compile("\\b[a-z][a-z0-9_]*\\.");

	@Test
	void shouldDocumentEveryPropertyOfTheMetadataAndNoOther() throws IOException {
		List<Row> rows = documentedRows();

		assertThat(rows).extracting(Row::name).as("properties documented more than once").doesNotHaveDuplicates();
		assertThat(rows).extracting(Row::name)
			.as("properties in %s (left) against the generated metadata (right)", DOCUMENT)
			.containsExactlyInAnyOrderElementsOf(metadata().keySet());
	}

	@Test
	void shouldDocumentTheDefaultOfEveryPropertyThatHasOne() throws IOException {
		Map<String, Map<String, Object>> metadata = metadata();
		SoftAssertions softly = new SoftAssertions();

		for (Row row : documentedRows()) {
			Map<String, Object> property = metadata.get(row.name());
			if (property != null && property.get("defaultValue") != null) {
				softly.assertThat(codeSpan(row.defaultValue()))
					.as("documented default of %s", row.name())
					.isEqualTo(render(property.get("defaultValue")));
			}
		}

		softly.assertAll();
	}

	@Test
	void shouldDocumentTheTypeOfEveryProperty() throws IOException {
		Map<String, Map<String, Object>> metadata = metadata();
		SoftAssertions softly = new SoftAssertions();

		for (Row row : documentedRows()) {
			Map<String, Object> property = metadata.get(row.name());
			if (property != null) {
				softly.assertThat(codeSpan(row.type()))
					.as("documented type of %s", row.name())
					.isEqualTo(simpleTypeName((String) property.get("type")));
			}
		}

		softly.assertAll();
	}

	@Test
	void shouldDescribeEveryDocumentedProperty() throws IOException {
		assertThat(documentedRows()).allSatisfy((row) -> assertThat(row.description())
			.as("description of %s", row.name())
			.isNotBlank());
	}

	private static List<Row> documentedRows() throws IOException {
		assertThat(DOCUMENT).as("the configuration reference, relative to the module directory").isRegularFile();
		List<Row> rows = new ArrayList<>();
		boolean inTable = false;
		int tables = 0;
		List<String> lines = Files.readAllLines(DOCUMENT, StandardCharsets.UTF_8);
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.equals(TABLE_HEADER)) {
				inTable = true;
				tables++;
				continue;
			}
			if (!inTable) {
				continue;
			}
			if (!line.startsWith("|")) {
				inTable = false;
				continue;
			}
			if (line.matches("\\|[\\s|:-]+\\|")) {
				continue; // the separator row
			}
			rows.add(Row.parse(line, i + 1));
		}
		assertThat(tables).as("property tables (header row %s) in %s", TABLE_HEADER, DOCUMENT).isPositive();
		return rows;
	}

	private static Map<String, Map<String, Object>> metadata() throws IOException {
		try (InputStream json = ConfigurationDocumentationTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(json).as("generated configuration metadata").isNotNull();
			List<Map<String, Object>> properties = JsonPath.read(json, "$.properties[*]");
			Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
			properties.forEach((property) -> byName.put((String) property.get("name"), property));
			return byName;
		}
	}

	/** The text inside a cell that holds exactly one code span, else the cell as it is. */
	private static String codeSpan(String cell) {
		Matcher matcher = SINGLE_CODE_SPAN.matcher(cell);
		return matcher.matches() ? matcher.group(1) : cell;
	}

	/** A metadata default as it is written in configuration: lists comma-separated. */
	private static String render(Object defaultValue) {
		if (defaultValue instanceof List<?> list) {
			return list.stream().map(String::valueOf).collect(Collectors.joining(","));
		}
		return String.valueOf(defaultValue);
	}

	/** {@code java.util.List<java.lang.String>} as {@code List<String>}, nested classes by their own name. */
	private static String simpleTypeName(String type) {
		String withoutPackages = PACKAGE_PREFIX.matcher(type).replaceAll("");
		return withoutPackages.replaceAll("[A-Za-z0-9_]+\\$", "");
	}

	/** One row of a property table. */
	private record Row(String name, String type, String defaultValue, String description) {

		static Row parse(String line, int lineNumber) {
			String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
			// A pipe inside a cell is written \| in Markdown.
			String[] cells = inner.split("(?<!\\\\)\\|", -1);
			assertThat(cells).as("cells of line %d of %s: %s", lineNumber, DOCUMENT, line).hasSize(4);
			Matcher name = PROPERTY_NAME.matcher(cells[0].strip());
			assertThat(name.matches())
				.as("line %d of %s starts with a property name in backticks: %s", lineNumber, DOCUMENT, line)
				.isTrue();
			return new Row(name.group(1), cells[1].strip(), cells[2].strip(), cells[3].strip());
		}

	}

}
