package io.github.isolation.testsupport;

import org.springframework.boot.SpringBootVersion;

/** A Micrometer Tracing bridge, for test applications that have both on the class path. */
public enum Bridge {

	BRAVE("io.micrometer.tracing.brave.bridge.BraveTracer", "OpenTelemetryTracingAutoConfiguration"),

	OPENTELEMETRY("io.micrometer.tracing.otel.bridge.OtelTracer", "BraveAutoConfiguration");

	// Where each Spring Boot line keeps its tracing auto-configurations: the same test sources run
	// on Boot 3.5 and on Boot 4.
	private static final String TRACING_PACKAGE = SpringBootVersion.getVersion().startsWith("3.")
			? "org.springframework.boot.actuate.autoconfigure.tracing."
			: "org.springframework.boot.micrometer.tracing.%s.autoconfigure.";

	private final String tracerClassName;

	private final String otherBridgeAutoConfiguration;

	Bridge(String tracerClassName, String otherBridgeAutoConfiguration) {
		this.tracerClassName = tracerClassName;
		this.otherBridgeAutoConfiguration = otherBridgeAutoConfiguration;
	}

	/** @return the auto-configuration of the other bridge, to exclude */
	public String otherBridgeAutoConfiguration() {
		String otherBridge = (this == BRAVE) ? "opentelemetry" : "brave";
		return TRACING_PACKAGE.formatted(otherBridge) + this.otherBridgeAutoConfiguration;
	}

	/** @return the class of the {@code Tracer} this bridge provides */
	public String tracerClassName() {
		return this.tracerClassName;
	}

}
