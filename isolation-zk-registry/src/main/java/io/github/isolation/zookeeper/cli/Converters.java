package io.github.isolation.zookeeper.cli;

import java.time.Duration;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.LogSafe;
import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.zookeeper.BindingNames;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.DigestCredentials;
import io.github.isolation.zookeeper.InstanceAddress;

/**
 * Converters that validate every argument while the command line is parsed, so that a typo
 * never costs a connection attempt and nothing invalid reaches ZooKeeper. Each throws an
 * {@link IllegalArgumentException} whose message names the field and the rule; the tool
 * prints that message as the error line.
 */
final class Converters {

	private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

	private Converters() {
	}

	static final class ServiceId implements ITypeConverter<String> {

		@Override
		public String convert(String value) {
			return BindingNames.checkServiceId(value);
		}

	}

	static final class Address implements ITypeConverter<InstanceAddress> {

		@Override
		public InstanceAddress convert(String value) {
			return InstanceAddress.parse(value);
		}

	}

	static final class Group implements ITypeConverter<IsolationGroup> {

		@Override
		public IsolationGroup convert(String value) {
			return IsolationGroup.of(value);
		}

	}

	static final class SourceAddress implements ITypeConverter<String> {

		@Override
		public String convert(String value) {
			return BindingNames.checkSourceAddress(value);
		}

	}

	static final class RuleId implements ITypeConverter<String> {

		@Override
		public String convert(String value) {
			EdgeRule.checkId(value);
			return value;
		}

	}

	static final class Root implements ITypeConverter<BindingPaths> {

		@Override
		public BindingPaths convert(String value) {
			return BindingPaths.of(value);
		}

	}

	static final class Auth implements ITypeConverter<DigestCredentials> {

		@Override
		public DigestCredentials convert(String value) {
			return DigestCredentials.parse(value);
		}

	}

	static final class ConnectString implements ITypeConverter<String> {

		@Override
		public String convert(String value) {
			if (value.isBlank()) {
				throw new IllegalArgumentException("--connect must name at least one HOST:PORT, but was empty");
			}
			return value;
		}

	}

	static final class Timeout implements ITypeConverter<Duration> {

		@Override
		public Duration convert(String value) {
			String text = value.strip().toLowerCase(Locale.ROOT);
			long millis;
			try {
				if (text.endsWith("ms")) {
					millis = Long.parseLong(text.substring(0, text.length() - 2));
				}
				else if (text.endsWith("s")) {
					millis = Long.parseLong(text.substring(0, text.length() - 1)) * 1000;
				}
				else {
					millis = Long.parseLong(text) * 1000;
				}
			}
			catch (NumberFormatException ex) {
				millis = -1;
			}
			if (millis <= 0 || millis > MAX_TIMEOUT.toMillis()) {
				throw new IllegalArgumentException(
						"--timeout must be a duration of 1ms to 10m such as 5s or 500ms, but was " + LogSafe.quote(value));
			}
			return Duration.ofMillis(millis);
		}

		static String format(Duration duration) {
			long millis = duration.toMillis();
			return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
		}

	}

}
