package io.github.isolation.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * This module's part of the configuration reference, {@code docs/configuration.md}: the table
 * whose header row is {@value #TABLE_HEADER} lists exactly the properties of the metadata this
 * module's build generates, each with its type and default. The starter's
 * {@code ConfigurationDocumentationTests} checks the starter's own tables the same way.
 */
class KafkaConfigurationDocumentationTests {

	// Surefire runs with the module directory as the working directory.
	private static final Path DOCUMENT = Path.of("..", "docs", "configuration.md");

	private static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

	private static final String TABLE_HEADER = "| Kafka property | Type | Default | Description |";

	@Test
	void shouldDocumentEveryPropertyOfThisModuleWithItsTypeAndDefault() throws IOException {
		List<String> expected = new ArrayList<>();
		List<Map<String, Object>> properties = JsonPath.read(Files.readString(METADATA), "$.properties[*]");
		for (Map<String, Object> property : properties) {
			// Simple names: Boolean, and FailFast for a nested enum.
			String type = ((String) property.get("type")).replaceAll(".*[.$]", "");
			Object defaultValue = property.get("defaultValue");
			expected.add(property.get("name") + " | " + type + " | " + ((defaultValue != null) ? defaultValue : "(none)"));
		}

		assertThat(documentedRows()).as("rows of the table %s in %s", TABLE_HEADER, DOCUMENT)
			.containsExactlyInAnyOrderElementsOf(expected);
	}

	private static List<String> documentedRows() throws IOException {
		List<String> rows = new ArrayList<>();
		boolean inTable = false;
		for (String raw : Files.readAllLines(DOCUMENT, StandardCharsets.UTF_8)) {
			String line = raw.strip();
			if (line.equals(TABLE_HEADER)) {
				inTable = true;
				continue;
			}
			if (!inTable || line.matches("\\|[\\s|:-]+\\|")) {
				continue;
			}
			if (!line.startsWith("|")) {
				inTable = false;
				continue;
			}
			String[] cells = line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1);
			assertThat(cells[3]).as("description of %s", cells[0]).isNotBlank();
			rows.add(unquote(cells[0]) + " | " + unquote(cells[1]) + " | " + unquote(cells[2]));
		}
		return rows;
	}

	private static String unquote(String cell) {
		return cell.strip().replace("`", "");
	}

}
