package io.github.isolation.it.edge;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.it.chain.Chain;
import io.github.isolation.it.chain.Chain.Instance;
import io.github.isolation.it.chain.Chain.Reply;
import io.github.isolation.zookeeper.cli.IsolationCli;
import io.github.isolation.testsupport.Bridge;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each source of a request's group at the edge colours the chain {@code a -> b -> c}, where
 * {@code a} is the edge: the {@code isolation-group} header, the entry of the W3C
 * {@code baggage} header, the {@code isolation-group} cookie and the source binding of the
 * caller's address in a real ZooKeeper ({@link TestingServer}); and the first of them wins. The
 * second loopback address, 127.0.0.2, is a client bound to {@code feature-x} and the only proxy
 * {@code a} trusts; 10.9.9.9, bound to {@code hotfix-1}, is a client behind that proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeColouringTests {

	private static final String STABLE = "a@stable > b@stable > c@stable";

	private static final String FEATURE_X = "a@stable > b@stable > c@feature-x";

	private static final String HOTFIX = "a@stable > b@stable > c@hotfix-1";

	private static final String LOCAL = "127.0.0.1";

	private static final String BOUND = "127.0.0.2";

	private final TestingServer zookeeper;

	private final Chain chain;

	private final Instance a;

	EdgeColouringTests() throws Exception {
		this.zookeeper = new TestingServer();
		this.chain = new Chain(Bridge.BRAVE, true)
			.with("isolation.zookeeper.connect-string=" + this.zookeeper.getConnectString());
		this.chain.start("c", null, null);
		this.chain.start("c", "feature-x", null);
		this.chain.start("c", "hotfix-1", null);
		this.chain.start("b", null, "c");
		this.a = this.chain.start("a", null, "b", "isolation.edge.enabled=true",
				"isolation.edge.trusted-proxies=" + BOUND + "/32");
		cli("source", "bind", BOUND, "feature-x");
		cli("source", "bind", "10.9.9.9", "hotfix-1");
		GroupBindings bindings = this.a.context().getBean(GroupBindings.class);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(bindings.sourceGroup(BOUND)).contains(IsolationGroup.of("feature-x"));
			assertThat(bindings.sourceGroup("10.9.9.9")).contains(IsolationGroup.of("hotfix-1"));
		});
	}

	@AfterAll
	void stop() throws Exception {
		this.chain.close();
		this.zookeeper.close();
	}

	@Test
	void shouldRouteAnUntaggedRequestFromAnUnboundAddressToStable() {
		for (int i = 0; i < 200; i++) {
			// A tagged request before each untagged one: a tag left behind on a reused thread would show.
			assertThat(RawHttp.hop(LOCAL, this.a, "isolation-group", "feature-x")).isEqualTo(ok(FEATURE_X));
			assertThat(RawHttp.hop(LOCAL, this.a)).as("untagged request %d", i).isEqualTo(ok(STABLE));
		}
	}

	@Test
	void shouldColourTheChainByTheGroupHeader() {
		assertThat(RawHttp.hop(LOCAL, this.a, "isolation-group", "feature-x")).isEqualTo(ok(FEATURE_X));
	}

	@Test
	void shouldColourTheChainByTheW3cBaggageEntryAndKeepTheOtherEntries() {
		assertThat(RawHttp.hop(LOCAL, this.a, "baggage", "tenant=acme,isolation-group=feature-x;ttl=1"))
			.isEqualTo(ok(FEATURE_X));
	}

	@Test
	void shouldColourTheChainByTheGroupCookie() {
		assertThat(RawHttp.hop(LOCAL, this.a, "Cookie", "session=1; isolation-group=feature-x"))
			.isEqualTo(ok(FEATURE_X));
	}

	@Test
	void shouldColourAnUntaggedRequestFromABoundSourceAddress() {
		assertThat(RawHttp.hop(BOUND, this.a)).isEqualTo(ok(FEATURE_X));
		assertThat(RawHttp.hop(LOCAL, this.a)).isEqualTo(ok(STABLE));
	}

	@Test
	void shouldPreferTheHeaderToTheCookieAndTheCookieToTheSourceBinding() {
		assertThat(RawHttp.hop(LOCAL, this.a, "isolation-group", "hotfix-1", "Cookie", "isolation-group=feature-x"))
			.isEqualTo(ok(HOTFIX));
		assertThat(RawHttp.hop(LOCAL, this.a, "baggage", "isolation-group=hotfix-1", "Cookie",
				"isolation-group=feature-x"))
			.isEqualTo(ok(HOTFIX));
		assertThat(RawHttp.hop(BOUND, this.a, "isolation-group", "hotfix-1")).isEqualTo(ok(HOTFIX));
		assertThat(RawHttp.hop(BOUND, this.a, "Cookie", "isolation-group=hotfix-1")).isEqualTo(ok(HOTFIX));
	}

	@Test
	void shouldPreferTheSingleHeaderToTheW3cBaggageEntry() {
		assertThat(RawHttp.hop(LOCAL, this.a, "isolation-group", "hotfix-1", "baggage", "isolation-group=feature-x"))
			.isEqualTo(ok(HOTFIX));
	}

	@Test
	void shouldFallThroughADroppedTagToTheNextSource() {
		assertThat(RawHttp.hop(LOCAL, this.a, "isolation-group", "Not A Group", "Cookie", "isolation-group=hotfix-1"))
			.isEqualTo(ok(HOTFIX));
		assertThat(RawHttp.hop(BOUND, this.a, "Cookie", "isolation-group=no/such")).isEqualTo(ok(FEATURE_X));
	}

	@Test
	void shouldHonourForwardingHeadersFromATrustedProxyOnly() {
		assertThat(RawHttp.hop(BOUND, this.a, "X-Forwarded-For", "10.9.9.9")).isEqualTo(ok(HOTFIX));
		assertThat(RawHttp.hop(BOUND, this.a, "Forwarded", "for=\"10.9.9.9:4711\";proto=http")).isEqualTo(ok(HOTFIX));

		assertThat(RawHttp.hop(LOCAL, this.a, "X-Forwarded-For", "10.9.9.9")).isEqualTo(ok(STABLE));
		assertThat(RawHttp.hop(LOCAL, this.a, "Forwarded", "for=10.9.9.9")).isEqualTo(ok(STABLE));
		assertThat(RawHttp.hop(LOCAL, this.a, "X-Forwarded-For", BOUND)).isEqualTo(ok(STABLE));
	}

	@Test
	void shouldTakeTheLastUntrustedHopOfTheForwardingChainAsTheCaller() {
		// The client may write any X-Forwarded-For it likes; only what the trusted proxy appended counts.
		assertThat(RawHttp.hop(BOUND, this.a, "X-Forwarded-For", "10.9.9.9, 127.0.0.1")).isEqualTo(ok(STABLE));
		assertThat(RawHttp.hop(BOUND, this.a, "X-Forwarded-For", "127.0.0.1, 10.9.9.9")).isEqualTo(ok(HOTFIX));
		assertThat(RawHttp.hop(BOUND, this.a, "X-Forwarded-For", "10.9.9.9, not-an-address")).isEqualTo(ok(FEATURE_X));
	}

	private static Reply ok(String route) {
		return new Reply(200, route);
	}

	private void cli(String... command) {
		List<String> args = new java.util.ArrayList<>(List.of("--connect", this.zookeeper.getConnectString()));
		args.addAll(List.of(command));
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = IsolationCli.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true,
				StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		assertThat(exit).as("exit code of %s, which printed %s", args, err.toString(StandardCharsets.UTF_8)).isZero();
	}

}
