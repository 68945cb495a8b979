package io.github.isolation.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import io.github.isolation.core.IsolationTags;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerCacheAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.CachingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.DiscoveryClientServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ZonePreferenceServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link IsolationLoadBalancerClientConfiguration} keeps the supplier chain of each
 * load-balancer client, Spring Cloud's or the user's, and puts isolation outermost.
 */
class IsolationLoadBalancerClientConfigurationTests {

	private static final String INSTANCES = "spring.cloud.discovery.client.simple.instances.";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IsolationAutoConfiguration.class, UtilAutoConfiguration.class,
				SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
				LoadBalancerCacheAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
				BlockingLoadBalancerClientAutoConfiguration.class))
		.withPropertyValues(INSTANCES + "inventory[0].uri=http://10.0.0.1:8080",
				INSTANCES + "inventory[0].metadata.zone=zone-a", INSTANCES + "inventory[1].uri=http://10.0.0.2:8080",
				INSTANCES + "inventory[1].metadata.zone=zone-b", INSTANCES + "inventory[2].uri=http://10.0.0.3:8080",
				INSTANCES + "inventory[2].metadata.zone=zone-a",
				INSTANCES + "inventory[2].metadata.isolation-group=feature-x",
				INSTANCES + "inventory[3].uri=http://10.0.0.4:8080",
				INSTANCES + "inventory[3].metadata.zone=zone-b",
				INSTANCES + "inventory[3].metadata.isolation-group=feature-x",
				INSTANCES + "billing[0].uri=http://10.0.1.1:8080",
				INSTANCES + "billing[1].uri=http://10.0.1.2:8080",
				INSTANCES + "billing[1].metadata.isolation-group=feature-x", "spring.cloud.loadbalancer.zone=zone-a");

	@Test
	void shouldWrapSpringCloudsDefaultChain() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			ServiceInstanceListSupplier supplier = supplierOf(context, "billing");
			assertThat(chainOf(supplier)).containsExactly(IsolationServiceInstanceListSupplier.class,
					CachingServiceInstanceListSupplier.class, DiscoveryClientServiceInstanceListSupplier.class);
			assertThat(hostsOf(supplier.get(request("feature-x")))).containsExactly("10.0.1.2");
			assertThat(hostsOf(supplier.get(request(null)))).containsExactly("10.0.1.1");
		});
	}

	@Test
	void shouldKeepTheChainOfAUsersLoadBalancerClientWithIsolationOutermost() {
		this.runner.withUserConfiguration(InventoryClient.class).run((context) -> {
			assertThat(context).hasNotFailed();
			ServiceInstanceListSupplier supplier = supplierOf(context, "inventory");
			ZonePreferenceChain userConfiguration = context.getBean(LoadBalancerClientFactory.class)
				.getInstance("inventory", ZonePreferenceChain.class);
			assertThat(chainOf(supplier)).containsExactly(IsolationServiceInstanceListSupplier.class,
					CachingServiceInstanceListSupplier.class, ZonePreferenceServiceInstanceListSupplier.class,
					DiscoveryClientServiceInstanceListSupplier.class);
			assertThat(((DelegatingServiceInstanceListSupplier) supplier).getDelegate())
				.isSameAs(userConfiguration.built);
			// another client keeps Spring Cloud's default chain
			assertThat(chainOf(supplierOf(context, "billing"))).containsExactly(
					IsolationServiceInstanceListSupplier.class, CachingServiceInstanceListSupplier.class,
					DiscoveryClientServiceInstanceListSupplier.class);
		});
	}

	@Test
	void shouldApplyTheUsersChainBeneathIsolation() {
		this.runner.withUserConfiguration(InventoryClient.class).run((context) -> {
			ServiceInstanceListSupplier supplier = supplierOf(context, "inventory");
			// zone-a only (the user's zone preference), then the request's group (isolation)
			assertThat(hostsOf(supplier.get(request(null)))).containsExactly("10.0.0.1");
			assertThat(hostsOf(supplier.get(request("feature-x")))).containsExactly("10.0.0.3");
			assertThat(hostsOf(supplier.get(request("feature-y")))).containsExactly("10.0.0.1");
		});
	}

	@Test
	void shouldKeepAUsersDefaultConfigurationForEveryClientWithIsolationOutermost() {
		this.runner.withUserConfiguration(DrainingClients.class)
			.withPropertyValues(INSTANCES + "billing[2].uri=http://10.0.1.3:9999")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				for (String serviceId : List.of("inventory", "billing")) {
					ServiceInstanceListSupplier supplier = supplierOf(context, serviceId);
					assertThat(chainOf(supplier)).as(serviceId)
						.containsExactly(IsolationServiceInstanceListSupplier.class,
								DrainingServiceInstanceListSupplier.class,
								DiscoveryClientServiceInstanceListSupplier.class);
				}
				assertThat(hostsOf(supplierOf(context, "billing").get(request(null)))).containsExactly("10.0.1.1");
			});
	}

	@Test
	void shouldChooseAnInstanceOfTheRequestsGroupThroughTheLoadBalancer() {
		this.runner.withUserConfiguration(InventoryClient.class).run((context) -> {
			LoadBalancerClient loadBalancer = context.getBean(LoadBalancerClient.class);
			for (int i = 0; i < 4; i++) {
				assertThat(loadBalancer.choose("inventory", request("feature-x")).getHost()).isEqualTo("10.0.0.3");
				assertThat(loadBalancer.choose("inventory", request(null)).getHost()).isEqualTo("10.0.0.1");
				assertThat(loadBalancer.choose("billing", request("feature-x")).getHost()).isEqualTo("10.0.1.2");
				assertThat(loadBalancer.choose("billing", request(null)).getHost()).isEqualTo("10.0.1.1");
			}
		});
	}

	@Test
	void shouldLeaveTheUsersChainUnwrappedWhenDisabled() {
		this.runner.withUserConfiguration(InventoryClient.class)
			.withPropertyValues("isolation.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ServiceInstanceListSupplier supplier = supplierOf(context, "inventory");
				assertThat(supplier).isSameAs(context.getBean(LoadBalancerClientFactory.class)
					.getInstance("inventory", ZonePreferenceChain.class).built);
				assertThat(chainOf(supplier)).containsExactly(CachingServiceInstanceListSupplier.class,
						ZonePreferenceServiceInstanceListSupplier.class,
						DiscoveryClientServiceInstanceListSupplier.class);
				assertThat(chainOf(supplierOf(context, "billing"))).containsExactly(
						CachingServiceInstanceListSupplier.class, DiscoveryClientServiceInstanceListSupplier.class);
				assertThat(hostsOf(supplierOf(context, "billing").get(request("feature-x"))))
					.containsExactlyInAnyOrder("10.0.1.1", "10.0.1.2");
			});
	}

	private static ServiceInstanceListSupplier supplierOf(AssertableApplicationContext context, String serviceId) {
		return context.getBean(LoadBalancerClientFactory.class)
			.getInstance(serviceId, ServiceInstanceListSupplier.class);
	}

	private static List<Class<?>> chainOf(ServiceInstanceListSupplier supplier) {
		List<Class<?>> chain = new ArrayList<>();
		ServiceInstanceListSupplier current = supplier;
		while (current != null) {
			chain.add(current.getClass());
			current = (current instanceof DelegatingServiceInstanceListSupplier delegating) ? delegating.getDelegate()
					: null;
		}
		return chain;
	}

	private static List<String> hostsOf(Flux<List<ServiceInstance>> instances) {
		return instances.blockFirst().stream().map(ServiceInstance::getHost).toList();
	}

	private static Request<RequestDataContext> request(String group) {
		HttpHeaders headers = new HttpHeaders();
		if (group != null) {
			headers.add(IsolationTags.GROUP, group);
		}
		return new DefaultRequest<>(new RequestDataContext(new RequestData(HttpMethod.GET,
				URI.create("http://inventory/items"), headers, new LinkedMultiValueMap<>(), new HashMap<>())));
	}

	@Configuration(proxyBeanMethods = false)
	@org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient(name = "inventory",
			configuration = ZonePreferenceChain.class)
	static class InventoryClient {

	}

	/** A user's own chain for one client, as the Spring Cloud documentation shows it. */
	static class ZonePreferenceChain {

		ServiceInstanceListSupplier built;

		@Bean
		ServiceInstanceListSupplier zonePreferenceSupplier(ConfigurableApplicationContext context) {
			this.built = ServiceInstanceListSupplier.builder()
				.withBlockingDiscoveryClient()
				.withZonePreference()
				.withCaching()
				.build(context);
			return this.built;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@LoadBalancerClients(defaultConfiguration = DrainingChain.class)
	static class DrainingClients {

	}

	/** A user's own default chain for every client, with a supplier of their own. */
	static class DrainingChain {

		@Bean
		ServiceInstanceListSupplier drainingSupplier(ConfigurableApplicationContext context) {
			return new DrainingServiceInstanceListSupplier(
					ServiceInstanceListSupplier.builder().withBlockingDiscoveryClient().build(context));
		}

	}

	/** Leaves out the instances listening on port 9999, which are being drained. */
	static class DrainingServiceInstanceListSupplier extends DelegatingServiceInstanceListSupplier {

		DrainingServiceInstanceListSupplier(ServiceInstanceListSupplier delegate) {
			super(delegate);
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return this.delegate.get()
				.map((instances) -> instances.stream().filter((instance) -> instance.getPort() != 9999).toList());
		}

	}

}
