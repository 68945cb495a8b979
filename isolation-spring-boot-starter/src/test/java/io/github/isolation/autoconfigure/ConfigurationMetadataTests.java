package io.github.isolation.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that the build generates from the properties classes, which IDEs
 * show users: every property is there and explains itself.
 */
class ConfigurationMetadataTests {

	@Test
	void shouldDescribeEveryPropertyInTheGeneratedMetadata() throws IOException {
		List<Map<String, Object>> properties = read("$.properties[*]");

		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("isolation.enabled", "isolation.group", "isolation.fail-fast", "isolation.instance.host",
					"isolation.instance.port", "isolation.zookeeper.connect-string", "isolation.zookeeper.root",
					"isolation.zookeeper.auth");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.hasSizeGreaterThan(20));
	}

	private static List<Map<String, Object>> read(String path) throws IOException {
		try (InputStream metadata = ConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(metadata).as("generated configuration metadata").isNotNull();
			return JsonPath.read(metadata, path);
		}
	}

}
