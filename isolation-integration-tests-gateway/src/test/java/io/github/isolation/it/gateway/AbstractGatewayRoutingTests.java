package io.github.isolation.it.gateway;

import io.github.isolation.it.gateway.Apps.App;
import io.github.isolation.it.gateway.RawHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Cloud Gateway in front of {@code b} (stable only) calling {@code c} (stable,
 * {@code feature-x} and {@code hotfix-1}), with routes {@code /b/**} to {@code lb://b} and
 * {@code /c/**} to {@code lb://c}. The plain gateway routes by the tag a request brings; the edge
 * gateway has {@code isolation.edge.enabled=true}, accepts tags from 127.0.0.1 only, and lets
 * requests enter {@code feature-*} groups only. The second loopback address, 127.0.0.2, is a
 * caller the edge does not trust. Each subclass runs all of it on one flavour of the gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractGatewayRoutingTests {

	private static final String TRUSTED = "127.0.0.1";

	private static final String UNTRUSTED = "127.0.0.2";

	private static final int CALLS = 12;

	private final Apps apps = new Apps();

	private App gateway;

	private App edge;

	/**
	 * The gateway under test.
	 * @return its flavour
	 */
	abstract Flavour flavour();

	@BeforeAll
	void start() {
		this.apps.service("c", null, null);
		this.apps.service("c", "feature-x", null);
		this.apps.service("c", "hotfix-1", null);
		this.apps.service("b", null, "c");
		this.gateway = this.apps.gateway(flavour());
		this.edge = this.apps.gateway(flavour(), "isolation.edge.enabled=true",
				"isolation.edge.accept-tags-from=" + TRUSTED + "/32", "isolation.edge.allowed-groups=feature-*");
	}

	@AfterAll
	void stop() {
		this.apps.close();
	}

	@Test
	void shouldCarryTheTagThroughAFallbackHopToTheGroupsInstance() {
		assertThat(get(this.gateway, "/b/hop", "isolation-group", "feature-x")).isEqualTo(ok("b@stable > c@feature-x"));
		assertThat(get(this.gateway, "/b/hop", "isolation-group", "hotfix-1")).isEqualTo(ok("b@stable > c@hotfix-1"));
	}

	@Test
	void shouldRouteAnUntaggedRequestToStableOnly() {
		for (int i = 0; i < 200; i++) {
			// A tagged request before each untagged one: a tag left behind in a reused context would show.
			assertThat(get(this.gateway, "/b/hop", "isolation-group", "feature-x")).isEqualTo(ok("b@stable > c@feature-x"));
			assertThat(get(this.gateway, "/b/hop")).as("untagged request %d", i).isEqualTo(ok("b@stable > c@stable"));
		}
	}

	@Test
	void shouldTakeTheTagFromTheW3cBaggageEntry() {
		assertThat(get(this.gateway, "/b/hop", "baggage", "tenant=acme,isolation-group=feature-x"))
			.isEqualTo(ok("b@stable > c@feature-x"));
		assertThat(get(this.gateway, "/c/hop", "baggage", "tenant=acme,isolation-group=feature-x"))
			.isEqualTo(ok("c@feature-x"));
	}

	@Test
	void shouldPickTheGroupsInstanceOfTheRoutedServiceOnEveryCall() {
		for (int i = 0; i < CALLS; i++) {
			assertThat(get(this.gateway, "/c/hop", "isolation-group", "feature-x")).as("call %d", i)
				.isEqualTo(ok("c@feature-x"));
		}
	}

	@Test
	void shouldNeverPickAGroupsInstanceOfTheRoutedServiceForAnUntaggedRequest() {
		for (int i = 0; i < CALLS; i++) {
			assertThat(get(this.gateway, "/c/hop")).as("call %d", i).isEqualTo(ok("c@stable"));
		}
	}

	@Test
	void shouldColourABrowserRequestByItsCookieAtTheEdge() {
		assertThat(get(this.edge, "/b/hop", "Cookie", "session=1; isolation-group=feature-x"))
			.isEqualTo(ok("b@stable > c@feature-x"));
		assertThat(get(this.edge, "/c/hop", "Cookie", "isolation-group=feature-x")).isEqualTo(ok("c@feature-x"));
		assertThat(get(this.edge, "/b/hop", "Cookie", "session=1")).isEqualTo(ok("b@stable > c@stable"));
	}

	@Test
	void shouldRouteACookieNamingAGroupNotAllowedToStable() {
		assertThat(get(this.edge, "/b/hop", "Cookie", "isolation-group=hotfix-1")).isEqualTo(ok("b@stable > c@stable"));
		assertThat(get(this.edge, "/c/hop", "Cookie", "isolation-group=hotfix-1")).isEqualTo(ok("c@stable"));
	}

	@Test
	void shouldForwardNoTagTheEdgeDropped() {
		// b honours any tag it receives, so a header the edge let through would reach c@hotfix-1.
		assertThat(get(this.edge, "/b/hop", "isolation-group", "hotfix-1")).isEqualTo(ok("b@stable > c@stable"));
		assertThat(get(this.edge, "/b/hop", "baggage", "isolation-group=hotfix-1"))
			.isEqualTo(ok("b@stable > c@stable"));
		assertThat(get(this.edge, "/b/hop", "isolation-group", "feature-x")).isEqualTo(ok("b@stable > c@feature-x"));
	}

	@Test
	void shouldIgnoreTheTagsOfACallerOutsideAcceptTagsFrom() {
		assertThat(RawHttp.get(UNTRUSTED, this.edge, "/b/hop", "Cookie", "isolation-group=feature-x"))
			.isEqualTo(ok("b@stable > c@stable"));
		assertThat(RawHttp.get(UNTRUSTED, this.edge, "/b/hop", "isolation-group", "feature-x"))
			.isEqualTo(ok("b@stable > c@stable"));
		assertThat(RawHttp.get(UNTRUSTED, this.edge, "/c/hop", "Cookie", "isolation-group=feature-x"))
			.isEqualTo(ok("c@stable"));
	}

	private static Reply get(App to, String path, String... headers) {
		return RawHttp.get(TRUSTED, to, path, headers);
	}

	private static Reply ok(String route) {
		return new Reply(200, route);
	}

}
