package io.github.isolation.it.gateway;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.github.isolation.it.gateway.Apps.App;
import io.github.isolation.testsupport.Bridge;
import io.github.isolation.testsupport.SocketHttp;
import io.github.isolation.testsupport.TagFuzz;
import io.github.isolation.testsupport.TagFuzz.WireTags;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile tag values ({@link TagFuzz}) sent to a gateway routing {@code /b/**} to {@code b},
 * which calls {@code c}, on both gateway servers and in both wire forms. {@code b} and {@code c}
 * must route on, and receive, exactly what the gateway accepted; a value it rejects must be
 * counted, and never logged unescaped. Subclasses pick the tracing bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
abstract class TagFuzzGatewayTests {

	/** Values per gateway, wire form and field; each is a call through three hops. */
	private static final int VALUES = 25;

	private static final String DEBUG = "logging.level.io.github.isolation=debug";

	private final Apps apps;

	private final List<App> later = new ArrayList<>();

	private final Map<Flavour, App> gateways = new EnumMap<>(Flavour.class);

	TagFuzzGatewayTests(Bridge bridge) {
		this.apps = new Apps(bridge);
		this.later.add(this.apps.service("c", "stable", null, DEBUG));
		this.later.add(this.apps.service("c", TagFuzz.FEATURE_X.name(), null, DEBUG));
		this.later.add(this.apps.service("b", "stable", "c", DEBUG));
		this.later.add(this.apps.service("b", TagFuzz.FEATURE_X.name(), "c", DEBUG));
		for (Flavour flavour : Flavour.values()) {
			this.gateways.put(flavour, this.apps.gateway(flavour, DEBUG));
		}
	}

	@AfterAll
	void stopApps() {
		this.apps.close();
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void shouldLetNoLaterHopRouteOnOrReceiveATagTheGatewayRejected(Flavour flavour, CapturedOutput output) {
		Random random = new Random(flavour.ordinal() * 7919L + getClass().getName().hashCode());

		List<String> unprintable = TagFuzz.run(new FuzzedChain(this.gateways.get(flavour)), random, VALUES,
				flavour + " gateway");

		for (String value : unprintable) {
			assertThat(output.getAll()).as("the output shows no hostile value unescaped").doesNotContain(value);
		}
	}

	private final class FuzzedChain implements TagFuzz.Chain {

		private final App gateway;

		FuzzedChain(App gateway) {
			this.gateway = gateway;
		}

		@Override
		public SocketHttp.Response call(String[] headers) {
			return SocketHttp.get("127.0.0.1", this.gateway.port(), "/b/hop", headers);
		}

		@Override
		public List<WireTags> takeReceived() {
			List<WireTags> received = new ArrayList<>();
			for (App app : TagFuzzGatewayTests.this.later) {
				received.addAll(app.context().getBean(HopApp.HopController.class).takeReceived());
			}
			return received;
		}

		@Override
		public MeterRegistry firstHopMeters() {
			return this.gateway.context().getBean(MeterRegistry.class);
		}

		@Override
		public String entry() {
			return null;
		}

	}

}
