package io.github.isolation.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo, run as {@code demo --once} does but in this JVM: the build proves that it works. */
class DemoTests {

	@Test
	void shouldRouteEveryRequestOfTheDemoAsExpected() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int exit = Demo.run(new String[] { "--once" }, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));

		String printed = out.toString(StandardCharsets.UTF_8);
		assertThat(exit).as("exit code; the demo printed:%n%s%n%s", printed, err).isEqualTo(Demo.EXIT_OK);
		assertThat(printed).contains("6 of 6 routes as expected.").doesNotContain("DIFFERS");
		assertThat(printed.lines().filter((line) -> line.contains(" started in "))).hasSize(7);
		assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
	}

	@Test
	void shouldRejectAnUnknownOptionWithTheUsage() {
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int exit = Demo.run(new String[] { "--twice" }, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));

		assertThat(exit).isEqualTo(Demo.EXIT_USAGE);
		assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("demo: unknown option '--twice'").contains("Usage:");
	}

}
