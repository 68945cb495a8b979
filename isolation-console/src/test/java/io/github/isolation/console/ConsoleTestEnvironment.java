package io.github.isolation.console;

import java.util.concurrent.Callable;

import org.junit.jupiter.api.Assumptions;

/**
 * What the browser tests need: chromium and chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}) and the examples' jar. Missing, a local build skips these tests
 * saying why; under {@code ISOLATION_CI=true} (see {@code .ci/run}) it fails instead.
 */
final class ConsoleTestEnvironment {

	private ConsoleTestEnvironment() {
	}

	static void assumeBrowserAndDemo() {
		assumeBrowser();
		require(DemoProcess.available(), "no " + DemoProcess.EXAMPLES_JAR
				+ ": build it with ./mvnw -B -DskipTests package -pl examples -am");
	}

	static void assumeBrowser() {
		require(Browser.available(), "no chromium and chromedriver in /usr/bin: apt-get install -y chromium chromium-driver");
	}

	private static void require(boolean present, String missing) {
		if ("true".equals(System.getenv("ISOLATION_CI"))) {
			if (!present) {
				throw new IllegalStateException(missing);
			}
			return;
		}
		Assumptions.assumeTrue(present, missing);
	}

	static <T> T unchecked(Callable<T> call) {
		try {
			return call.call();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
