package io.github.isolation.autoconfigure.edge;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.observation.EdgeRuleMetrics;
import io.github.isolation.autoconfigure.observation.IsolationEndpoint;
import io.github.isolation.autoconfigure.observation.IsolationObservationAutoConfiguration;
import io.github.isolation.autoconfigure.zookeeper.IsolationZookeeperAutoConfiguration;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.EdgeRuleStore;
import io.github.isolation.zookeeper.EdgeRulesView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge takes its rules from ZooKeeper when the registry is configured, counts their hits in
 * a meter and shows them in the {@code isolation} endpoint, and runs without rules otherwise.
 */
class EdgeRulesAutoConfigurationTests {

	private static TestingServer zookeeper;

	private static CuratorFramework operator;

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IsolationZookeeperAutoConfiguration.class,
				IsolationAutoConfiguration.class, IsolationEdgeAutoConfiguration.class,
				IsolationObservationAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("isolation.edge.enabled=true", "isolation.edge.allowed-groups=feature-*");

	@BeforeAll
	static void startZookeeper() throws Exception {
		zookeeper = new TestingServer();
		operator = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
		operator.start();
	}

	@AfterAll
	static void stopZookeeper() throws Exception {
		operator.close();
		zookeeper.close();
	}

	@Test
	@SuppressWarnings("unchecked")
	void shouldColourByTheRulesInZooKeeperCountTheirHitsAndShowThem() {
		BindingPaths paths = BindingPaths.of("/edge-rules-autoconfiguration");
		EdgeRuleStore store = new EdgeRuleStore(operator, paths, null);
		store.put("{\"id\":\"tenant-acme\",\"group\":\"feature-acme\",\"match\":{\"all\":[{\"source\":\"header\","
				+ "\"name\":\"x-tenant\",\"op\":\"exact\",\"value\":\"acme\"}]}}");
		store.put("{\"id\":\"refused\",\"group\":\"hotfix-1\",\"priority\":-1,\"match\":{\"all\":[{\"source\":\"header\","
				+ "\"name\":\"x-refused\",\"op\":\"present\"}]}}");
		this.runner
			.withPropertyValues("isolation.zookeeper.connect-string=" + zookeeper.getConnectString(),
					"isolation.zookeeper.root=" + paths.root())
			.run((context) -> {
				assertThat(context).hasSingleBean(EdgeRulesView.class).hasSingleBean(EdgeRuleMetrics.class);
				EdgePolicy policy = context.getBean(EdgePolicy.class);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> policy.decide(request("x-tenant", "acme")).rule() != null);

				EdgeDecision acme = policy.decide(request("x-tenant", "acme"));
				EdgeDecision refused = policy.decide(request("x-refused", "1"));

				assertThat(acme.group()).isEqualTo(IsolationGroup.of("feature-acme"));
				assertThat(acme.source()).isEqualTo(EdgeDecision.Source.RULE);
				assertThat(refused.source()).isEqualTo(EdgeDecision.Source.NONE);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("isolation.edge.rules").tag("rule", "tenant-acme").tag("outcome", "coloured")
					.counter()
					.count()).isEqualTo(2);
				assertThat(meters.get("isolation.edge.rules").tag("rule", "refused").tag("outcome", "group_not_allowed")
					.counter()
					.count()).isEqualTo(1);
				Map<String, Object> edgeRules = (Map<String, Object>) context.getBean(IsolationEndpoint.class)
					.isolation()
					.get("edgeRules");
				List<Map<String, Object>> rules = (List<Map<String, Object>>) edgeRules.get("rules");
				assertThat(rules).extracting((rule) -> rule.get("id")).containsExactly("refused", "tenant-acme");
				assertThat(rules.get(1).get("hits")).isEqualTo(Map.of("coloured", 2L, "group_not_allowed", 0L));
			});
	}

	@Test
	void shouldRunWithoutRulesWithoutTheRegistry() {
		this.runner.withClassLoader(new FilteredClassLoader(EdgeRulesView.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(EdgeRulesView.class).hasSingleBean(EdgePolicy.class);
			assertThat(context.getBean(EdgeRuleActivity.class).source().rules().size()).isZero();
			assertThat(context.getBean(EdgePolicy.class).decide(request("x-tenant", "acme")).source())
				.isEqualTo(EdgeDecision.Source.NONE);
		});
	}

	private static EdgeRequest request(String header, String value) {
		return new EdgeRequest() {

			@Override
			public String remoteAddress() {
				return "10.0.0.1";
			}

			@Override
			public List<String> headers(String name) {
				return header.equalsIgnoreCase(name) ? List.of(value) : List.of();
			}

			@Override
			public List<String> cookies(String name) {
				return List.of();
			}

		};
	}

}
