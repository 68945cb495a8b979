package io.github.isolation.console;

import java.time.Duration;

import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.EdgeRuleStore;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge rules page in a real browser against a real ZooKeeper: what an operator writes in
 * the page is what {@link EdgeRuleStore} reads back, a rule that is not valid is refused with
 * the field named and the JSON kept, and "test a request" answers as the edges' evaluator does.
 */
class ConsoleRulesBrowserTests {

	private static final String RULE = """
			{ "id": "canary-ios", "group": "feature-x", "priority": 10,
			  "match": { "all": [ { "source": "header", "name": "x-app", "op": "in", "values": ["ios"] } ] } }""";

	@Test
	void shouldCreateTestDisableAndDeleteARuleInThePageAndKeepAViewerOut() throws Exception {
		ConsoleTestEnvironment.assumeBrowser();
		try (TestingServer zookeeper = new TestingServer(true);
				CuratorFramework client = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
				ConfigurableApplicationContext console = new SpringApplicationBuilder(ConsoleApplication.class).run(
						"--server.port=0", "--isolation.zookeeper.connect-string=" + zookeeper.getConnectString(),
						"--isolation.console.users.viewer.password={noop}viewer-pass",
						"--isolation.console.users.operator.password={noop}operator-pass",
						"--isolation.console.users.operator.role=operator");
				Browser browser = new Browser("http://127.0.0.1:" + console.getEnvironment().getProperty("local.server.port"))) {
			client.start();
			EdgeRuleStore store = new EdgeRuleStore(client, BindingPaths.defaults(), null);
			browser.logIn("operator", "operator-pass");

			browser.open("/rules");
			String invalid = RULE.replace("\"priority\": 10", "\"priority\": \"high\"");
			browser.fill("rule-json", invalid);
			browser.submit(By.id("save-rule"));
			assertThat(browser.find(By.id("rule-error")).getText()).contains("priority");
			assertThat(browser.find(By.id("rule-json")).getAttribute("value")).isEqualTo(invalid);
			assertThat(store.list()).isEmpty();

			browser.fill("rule-json", RULE);
			browser.submit(By.id("save-rule"));
			assertThat(browser.find(By.cssSelector("[role=status]")).getText()).isEqualTo("Saved rule canary-ios");
			assertThat(store.get("canary-ios")).map(EdgeRule::enabled).contains(true);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				browser.open("/rules?path=/orders&headers=x-app:%20ios");
				assertThat(browser.find(By.id("test-result")).getText()).isEqualTo("Rule canary-ios colours it feature-x");
			});
			browser.screenshot("rules");
			browser.open("/rules?path=/orders&headers=x-app:%20android");
			assertThat(browser.find(By.id("test-result")).getText()).startsWith("No enabled rule applies");

			browser.open("/rules");
			browser.submit(By.cssSelector("button[aria-label='Disable rule canary-ios']"));
			assertThat(store.get("canary-ios")).map(EdgeRule::enabled).contains(false);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				browser.open("/rules?path=/orders&headers=x-app:%20ios");
				assertThat(browser.find(By.id("test-result")).getText()).startsWith("No enabled rule applies");
			});

			browser.logIn("viewer", "viewer-pass");
			browser.open("/rules");
			assertThat(browser.has(By.id("save-rule"))).isFalse();
			assertThat(browser.has(By.cssSelector("button[aria-label='Delete rule canary-ios']"))).isFalse();
			Object status = browser.asyncScript("""
					var done = arguments[arguments.length - 1];
					var token = document.querySelector('meta[name=_csrf]').content;
					fetch('/rules/canary-ios/delete', { method: 'POST', redirect: 'manual',
					    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					    body: '_csrf=' + encodeURIComponent(token) })
					  .then(function (r) { done(r.status); }, function (e) { done(String(e)); });""");
			assertThat(status).isEqualTo(403L);
			assertThat(store.get("canary-ios")).isPresent();

			browser.logIn("operator", "operator-pass");
			browser.open("/rules");
			browser.submit(By.cssSelector("button[aria-label='Delete rule canary-ios']"));
			assertThat(browser.find(By.cssSelector("[role=status]")).getText()).isEqualTo("Deleted canary-ios");
			assertThat(store.get("canary-ios")).isEmpty();
		}
	}

}
