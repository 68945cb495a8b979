package io.github.isolation.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo, run as {@code demo --once} does but in this JVM: the build proves that it works. */
class DemoTests {

	private static int exit;

	private static String printed;

	private static String errors;

	// Once for all the tests: nine applications and a broker take a while to start.
	@BeforeAll
	static void runTheDemoOnce() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		exit = Demo.run(new String[] { "--once" }, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		printed = out.toString(StandardCharsets.UTF_8);
		errors = err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void shouldRouteEveryRequestOfTheDemoAsExpected() {
		assertThat(exit).as("exit code; the demo printed:%n%s%n%s", printed, errors).isEqualTo(Demo.EXIT_OK);
		assertThat(printed).contains("6 of 6 routes as expected.").doesNotContain("DIFFERS");
		assertThat(printed.lines().filter((line) -> line.contains(" started in "))).hasSize(9);
		assertThat(errors).isEmpty();
	}

	@Test
	void shouldShowForEveryRequestWhereItsOrderPlacedRecordWent() {
		// The table's record lines: "record order N-k on order-placed", then expected, then actual.
		List<String> lines = printed.lines().toList();
		List<String> expected = new ArrayList<>();
		List<String> actual = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("   record    order ")) {
				expected.add(lines.get(i + 1).replaceFirst("^   expected  ", ""));
				actual.add(lines.get(i + 2).replaceFirst("^   actual    ", ""));
			}
		}

		// Each record in the lane of its request: feature-cart's to notifications@feature-cart, whose
		// call to pricing stays in feature-cart; feature-pricing's to stable (notifications has no
		// feature-pricing instance), whose call still reaches pricing@feature-pricing while it runs.
		assertThat(actual).as("the demo printed:%n%s", printed)
			.containsExactly("notifications@stable > pricing@stable", "notifications@stable > pricing@feature-pricing",
					"notifications@feature-cart > pricing@feature-cart", "(none: the order was not placed)",
					"notifications@feature-cart > pricing@feature-cart", "notifications@stable > pricing@stable");
		assertThat(expected).isEqualTo(actual);
		assertThat(printed).contains("Kafka (embedded)").contains("notifications listeners");
	}

	@Test
	void shouldRejectAnUnknownOptionWithTheUsage() {
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int exit = Demo.run(new String[] { "--twice" }, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));

		assertThat(exit).isEqualTo(Demo.EXIT_USAGE);
		assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("demo: unknown option '--twice'").contains("Usage:");
	}

}
