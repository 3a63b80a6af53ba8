package io.distkit.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every distkit property is documented in the generated metadata, and enum values carry hints. */
class ConfigurationMetadataTests {

	@Test
	void everyPropertyHasADescriptionInBootsStyle() throws IOException {
		List<Map<String, Object>> properties = JsonPath.read(metadata(), "$.properties[*]");
		assertThat(properties).hasSizeGreaterThan(30);
		for (Map<String, Object> property : properties) {
			assertThat((String) property.get("description")).as((String) property.get("name"))
				.isNotBlank()
				.doesNotStartWith("The ")
				.doesNotStartWith("A ")
				.endsWith(".");
		}
	}

	@Test
	void enumPropertiesHaveValueHints() throws IOException {
		List<String> hinted = JsonPath.read(metadata(), "$.hints[*].name");
		assertThat(hinted).contains("distkit.rate-limit.provider", "distkit.rate-limit.strategy",
				"distkit.rate-limit.on-backend-failure", "distkit.rate-limit.limits.values.provider",
				"distkit.web.headers");
	}

	private static String metadata() throws IOException {
		try (InputStream in = ConfigurationMetadataTests.class.getClassLoader()
			.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata").isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
