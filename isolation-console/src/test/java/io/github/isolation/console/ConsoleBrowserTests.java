package io.github.isolation.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.InstanceAddress;
import io.github.isolation.zookeeper.InstanceBinding;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console in a real browser (Debian's chromium, headless) against the project's demo as
 * {@code examples/demo.sh} runs it: its ZooKeeper and its example services, in a JVM of their
 * own, answering real requests. What is asserted of routing is the route the demo's web
 * instance reports, never what the page says about it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTests {

	private static final Duration STARTUP = Duration.ofMinutes(4);

	private static final String VIEWER = "viewer";

	private static final String VIEWER_PASSWORD = "viewer-pass";

	private static final String OPERATOR = "operator";

	private static final String OPERATOR_PASSWORD = "operator-pass";

	private static final String CHAIN = "web, orders, inventory, pricing";

	private final HttpClient http = HttpClient.newHttpClient();

	private DemoProcess demo;

	private CompletableFuture<Process> extraInstance;

	private String zookeeper;

	private String web;

	private ConfigurableApplicationContext console;

	private CuratorFramework client;

	private BindingStore store;

	private Browser browser;

	@BeforeAll
	void startTheDemoTheConsoleAndABrowser() throws Exception {
		ConsoleTestEnvironment.assumeBrowserAndDemo();
		this.demo = DemoProcess.start();
		this.zookeeper = this.demo.zookeeper(STARTUP);
		// A feature instance of our own, to stop later: started beside the demo's, not after them.
		this.extraInstance = CompletableFuture
			.supplyAsync(() -> ConsoleTestEnvironment.unchecked(() -> DemoProcess.startInstance(this.zookeeper, "inventory", "feature-gone")));
		this.web = this.demo.awaitRunning(STARTUP);
		this.console = new SpringApplicationBuilder(ConsoleApplication.class).run("--server.port=0",
				"--isolation.zookeeper.connect-string=" + this.zookeeper,
				"--isolation.console.users." + VIEWER + ".password={noop}" + VIEWER_PASSWORD,
				"--isolation.console.users." + VIEWER + ".role=viewer",
				"--isolation.console.users." + OPERATOR + ".password={noop}" + OPERATOR_PASSWORD,
				"--isolation.console.users." + OPERATOR + ".role=operator");
		this.client = CuratorFrameworkFactory.newClient(this.zookeeper, new RetryOneTime(100));
		this.client.start();
		this.store = new BindingStore(this.client);
		int port = this.console.getEnvironment().getProperty("local.server.port", Integer.class);
		this.browser = new Browser("http://127.0.0.1:" + port);
	}

	@AfterAll
	void stopEverything() throws Exception {
		if (this.browser != null) {
			this.browser.close();
		}
		if (this.console != null) {
			this.console.close();
		}
		if (this.client != null) {
			this.client.close();
		}
		if (this.extraInstance != null) {
			this.extraInstance.thenAccept(Process::destroy);
		}
		if (this.demo != null) {
			this.demo.close();
		}
	}

	@Test
	@Order(1)
	void shouldShowAViewerTheDemoAsItRunsWithoutWriteActionsAndRefuseAForgedWrite() throws Exception {
		this.browser.logIn(VIEWER, VIEWER_PASSWORD);
		Set<String> expected = runningInstancesWithTheirGroups();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			this.browser.open("/");
			assertThat(instancesInTheMatrix()).containsAll(expected);
		});
		assertThat(columns()).containsSubsequence("stable", "feature-cart", "feature-pricing");
		this.browser.screenshot("matrix");

		assertThat(writeForms()).as("write forms on the bindings page").isEmpty();
		this.browser.open("/groups/feature-cart");
		assertThat(writeForms()).as("write forms on a group's page").isEmpty();
		assertThat(this.browser.has(By.id("teardown"))).isFalse();

		InstanceAddress webAddress = InstanceAddress.parse(this.web);
		String body = "service=web&address=" + this.web + "&group=feature-cart";
		assertThat(forgedPost("/bindings/instance", body, true)).as("with the page's CSRF token").isEqualTo(403L);
		assertThat(forgedPost("/bindings/instance", body, false)).as("without a CSRF token").isEqualTo(403L);
		assertThat(forgedPost("/groups/feature-cart/teardown", "confirm=feature-cart", true)).isEqualTo(403L);
		assertThat(this.store.instanceBinding("web", webAddress)).isEmpty();
		assertThat(this.store.instanceBindings()).allMatch(InstanceBinding::ephemeral);
	}

	@Test
	@Order(2)
	void shouldRouteTheWebInstanceByABindingMadeInThePageUntilItIsUnbound() throws Exception {
		this.browser.logIn(OPERATOR, OPERATOR_PASSWORD);
		assertThat(routeOfWeb()).isEqualTo("web@stable > orders@stable > inventory@stable > pricing@stable");

		this.browser.open("/bindings?service=web&address=" + this.web);
		this.browser.fill("bind-group", "feature-cart");
		this.browser.screenshot("bindings");
		this.browser.find(By.id("bind")).click();
		assertThat(this.browser.find(By.cssSelector("[role=status]")).getText()).contains("Bound web " + this.web);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(routeOfWeb())
				.isEqualTo("web@feature-cart > orders@feature-cart > inventory@stable > pricing@feature-cart"));
		this.browser.open("/groups/feature-cart");
		assertThat(this.browser.text()).contains(this.web).contains("operator binding");
		this.browser.screenshot("group");

		this.browser.open("/bindings?service=web&address=" + this.web);
		this.browser.find(By.id("unbind")).click();
		assertThat(this.browser.find(By.cssSelector("[role=status]")).getText()).contains("Unbound web " + this.web);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(routeOfWeb())
				.isEqualTo("web@stable > orders@stable > inventory@stable > pricing@stable"));
	}

	@Test
	@Order(3)
	void shouldPlanTheRouteEachRowOfTheDemosTableTakes() throws Exception {
		this.browser.logIn(OPERATOR, OPERATOR_PASSWORD);
		record Row(String group, String failFast, String headerName, String headerValue) {
		}
		List<Row> rows = List.of(new Row("", "", null, null),
				new Row("feature-pricing", "", "isolation-group", "feature-pricing"),
				new Row("feature-cart", "", "baggage", "isolation-group=feature-cart"),
				new Row("feature-cart", "inventory", "baggage", "isolation-group=feature-cart,isolation-fail-fast=inventory"));
		List<String> compared = new ArrayList<>();
		for (Row row : rows) {
			compared.add(compare(row.group(), row.failFast(), row.headerName(), row.headerValue()));
		}
		// Row 5: the web instance bound to feature-cart while it runs, an untagged request.
		this.store.bind("web", InstanceAddress.parse(this.web), IsolationGroup.of("feature-cart"));
		try {
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(routeOfWeb()).startsWith("web@feature-cart"));
			compared.add(compare("", "", null, null));
			this.browser.screenshot("route");
		}
		finally {
			this.store.unbind("web", InstanceAddress.parse(this.web));
		}
		// Row 6: feature-pricing after the unbind. The demo brings pricing@feature-pricing back
		// once its table is played, so here it is still running: its own group, not stable.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(routeOfWeb()).startsWith("web@stable"));
		compared.add(compare("feature-pricing", "", "isolation-group", "feature-pricing"));
		assertThat(compared).hasSize(6);
	}

	@Test
	@Order(4)
	void shouldShowAStoppedFeatureInstanceDownWithoutAReload() throws Exception {
		this.browser.logIn(VIEWER, VIEWER_PASSWORD);
		Process instance = this.extraInstance.get();
		EnvironmentMonitor monitor = this.console.getBean(EnvironmentMonitor.class);
		IsolationGroup gone = IsolationGroup.of("feature-gone");
		await().atMost(Duration.ofMinutes(2)).until(() -> monitor.environment().cell("inventory", gone).stream().anyMatch(InstanceState::up));
		String address = monitor.environment().cell("inventory", gone).get(0).address();
		this.browser.open("/?group=stable&group=feature-gone");
		By cell = By.xpath("//table[contains(@class,'matrix')]//td[contains(., '" + address + " ')]");
		By down = By.xpath("//span[contains(@class,'inst down') and starts-with(normalize-space(.), '" + address + " ')]");
		assertThat(this.browser.find(cell).getText()).contains(address + " self");
		assertThat(this.browser.has(down)).isFalse();
		this.browser.script("window.consoleNotReloaded = true;");

		instance.destroy();
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(this.browser.has(down)).isTrue());
		assertThat(this.browser.script("return window.consoleNotReloaded === true;")).isEqualTo(true);
		assertThat(this.browser.find(down).getAttribute("title")).startsWith("down since");
	}

	@Test
	@Order(5)
	void shouldShowHostileDataEscapedAndTruncatedWithoutRunningIt() throws Exception {
		this.browser.logIn(VIEWER, VIEWER_PASSWORD);
		String script = "\"'><script>window.consoleHacked = true;</script><img src=x onerror=\"window.consoleHacked = true\">";
		String hostile = script + "A".repeat(10_000);
		String hostileData = "/isolation/bindings/web/127.0.0.1:1";
		String hostileName = "/isolation/bindings/<img src=x onerror=window.consoleHacked=1>";
		this.client.create().creatingParentContainersIfNeeded().forPath(hostileData, hostile.getBytes(StandardCharsets.UTF_8));
		this.client.create().creatingParentContainersIfNeeded().forPath(hostileName, "stable".getBytes(StandardCharsets.UTF_8));
		try {
			this.browser.open("/");
			String title = this.browser.driver().getTitle();
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				assertThat(this.browser.text()).contains(script.substring(0, 60)).contains("<img src=x onerror=window.consoleHacked=1>");
			});
			WebElement row = this.browser.find(By.xpath("//tr[contains(@class,'skipped-node') and contains(., '127.0.0.1:1')]"));
			assertThat(row.getText()).contains("\u2026 (" + hostile.getBytes(StandardCharsets.UTF_8).length + " bytes)")
				.hasSizeLessThan(400);
			this.browser.screenshot("hostile");
			assertThat(this.browser.script("return window.consoleHacked === undefined;")).isEqualTo(true);
			assertThat(this.browser.driver().findElements(By.cssSelector("#matrix img, #matrix script"))).isEmpty();
			assertThat(this.browser.driver().getTitle()).isEqualTo(title);
		}
		finally {
			this.client.delete().forPath(hostileData);
			this.client.delete().forPath(hostileName);
		}
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.browser.has(By.cssSelector(".skipped-node"))).isFalse());
	}

	/** Plans a request in the page and sends the same request to web: the two routes must be the same. */
	private String compare(String group, String failFast, String headerName, String headerValue) throws Exception {
		this.browser.open("/route");
		this.browser.fill("route-group", group);
		this.browser.fill("route-fail-fast", failFast);
		this.browser.fill("route-chain", CHAIN);
		this.browser.fill("route-entry", this.web);
		this.browser.find(By.id("plan")).click();
		String planned = this.browser.find(By.id("route-line")).getText();
		String real = (headerName != null) ? route(headerName, headerValue) : routeOfWeb();
		assertThat(planned).as("the planned route of group '%s', fail-fast '%s'", group, failFast).isEqualTo(real);
		return real;
	}

	private String routeOfWeb() throws Exception {
		return route(null, null);
	}

	/** The route the demo's web instance took: its route header, and the reason where it failed. */
	private String route(String headerName, String headerValue) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + this.web + "/")).timeout(Duration.ofSeconds(10));
		if (headerName != null) {
			request.header(headerName, headerValue);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		String header = response.headers().firstValue("isolation-route").orElseThrow();
		if (response.statusCode() == 200) {
			return header;
		}
		assertThat(response.statusCode()).isEqualTo(502);
		// The header holds the hops that were made; the body adds why the next one failed.
		assertThat(response.body()).startsWith(header + " > failed: ");
		return response.body();
	}

	/** Every instance registered in the demo's discovery, as service, address and group. */
	private Set<String> runningInstancesWithTheirGroups() throws Exception {
		Set<String> instances = new HashSet<>();
		Pattern address = Pattern.compile("\"address\"\\s*:\\s*\"([^\"]+)\".*?\"port\"\\s*:\\s*(\\d+)");
		for (String service : this.client.getChildren().forPath("/services")) {
			for (String id : this.client.getChildren().forPath("/services/" + service)) {
				String json = new String(this.client.getData().forPath("/services/" + service + "/" + id), StandardCharsets.UTF_8);
				Matcher matcher = address.matcher(json);
				assertThat(matcher.find()).as(json).isTrue();
				InstanceAddress instance = new InstanceAddress(matcher.group(1), Integer.parseInt(matcher.group(2)));
				String group = this.store.instanceBinding(service, instance)
					.map((binding) -> binding.group().name())
					.orElse("stable");
				instances.add(service + " " + instance + " " + group);
			}
		}
		assertThat(instances).hasSizeGreaterThanOrEqualTo(7);
		return instances;
	}

	/** Every instance the matrix shows, as service, address and the group of its column. */
	private Set<String> instancesInTheMatrix() {
		List<String> columns = columns();
		Set<String> shown = new HashSet<>();
		for (WebElement row : this.browser.driver().findElements(By.cssSelector("table.matrix tbody tr"))) {
			String service = row.findElement(By.tagName("th")).getText();
			List<WebElement> cells = row.findElements(By.tagName("td"));
			for (int i = 0; i < cells.size(); i++) {
				for (String line : cells.get(i).getText().split("\n")) {
					if (!line.isBlank() && !line.endsWith(" down")) {
						shown.add(service + " " + line.split(" ")[0] + " " + columns.get(i));
					}
				}
			}
		}
		return shown;
	}

	private List<String> columns() {
		return this.browser.driver()
			.findElements(By.cssSelector("table.matrix thead th"))
			.stream()
			.skip(1)
			.map(WebElement::getText)
			.toList();
	}

	private List<WebElement> writeForms() {
		return this.browser.driver()
			.findElements(By.cssSelector("form[method=post]"))
			.stream()
			.filter((form) -> !form.getAttribute("action").endsWith("/logout"))
			.toList();
	}

	/** A write sent by script from a viewer's logged-in page, as a forged request would be. */
	private Object forgedPost(String path, String body, boolean withToken) {
		this.browser.open("/bindings");
		return this.browser.asyncScript("""
				var done = arguments[arguments.length - 1];
				var token = document.querySelector('meta[name=_csrf]').content;
				var body = arguments[1] + (arguments[2] ? '&_csrf=' + encodeURIComponent(token) : '');
				fetch(arguments[0], { method: 'POST', redirect: 'manual', credentials: 'same-origin',
				    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body })
				  .then(function (r) { done(r.status); }, function (e) { done(String(e)); });
				""", path, body, withToken);
	}

}
