package io.github.isolation.resttemplate;

import java.util.ArrayList;
import java.util.List;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.IsolationContext;
import io.github.isolation.autoconfigure.IsolationTag;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.RouteOutcome;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.DeferringLoadBalancerInterceptor;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerCacheAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.header;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.headerDoesNotExist;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;

/**
 * Tests for {@link IsolationRestTemplateAutoConfiguration}.
 */
class IsolationRestTemplateAutoConfigurationTests {

	private static final String INSTANCES = "spring.cloud.discovery.client.simple.instances.";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IsolationAutoConfiguration.class,
				IsolationRestTemplateAutoConfiguration.class, UtilAutoConfiguration.class,
				SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
				LoadBalancerCacheAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
				BlockingLoadBalancerClientAutoConfiguration.class,
				org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration.class))
		.withUserConfiguration(Clients.class)
		.withPropertyValues(INSTANCES + "inventory[0].uri=http://10.0.0.1:8080",
				INSTANCES + "inventory[1].uri=http://10.0.0.2:8080",
				INSTANCES + "inventory[1].metadata.isolation-group=feature-x",
				INSTANCES + "billing[0].uri=http://10.0.1.1:8080");

	@Test
	void shouldPutTheIsolationInterceptorFirstOnALoadBalancedRestTemplate() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			List<ClientHttpRequestInterceptor> interceptors = context.getBean("loadBalancedRestTemplate",
					RestTemplate.class)
				.getInterceptors();
			assertThat(interceptors).hasSize(2);
			assertThat(interceptors.get(0)).isSameAs(context.getBean(IsolationClientHttpRequestInterceptor.class));
			assertThat(interceptors.get(1)).isInstanceOf(LoadBalancerInterceptor.class);
		});
	}

	@Test
	void shouldPutTheIsolationInterceptorFirstOnALoadBalancedRestClientBuilder() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			List<ClientHttpRequestInterceptor> interceptors = interceptorsOf(
					context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class));
			assertThat(interceptors).hasSize(2);
			assertThat(interceptors.get(0)).isSameAs(context.getBean(IsolationClientHttpRequestInterceptor.class));
			assertThat(interceptors.get(1)).isInstanceOf(DeferringLoadBalancerInterceptor.class);
		});
	}

	@Test
	void shouldLeaveClientsThatAreNotLoadBalancedAlone() {
		this.runner.run((context) -> {
			assertThat(context.getBean("plainRestTemplate", RestTemplate.class).getInterceptors()).isEmpty();
			assertThat(interceptorsOf(context.getBean("plainRestClientBuilder", RestClient.Builder.class))).isEmpty();
		});
	}

	@Test
	void shouldRouteByTheTagAndSendItOnFromALoadBalancedRestTemplate() {
		this.runner.withBean(IsolationContext.class, () -> () -> featureX()).run((context) -> {
			RestTemplate restTemplate = context.getBean("loadBalancedRestTemplate", RestTemplate.class);
			MockRestServiceServer server = MockRestServiceServer.bindTo(restTemplate).build();
			server.expect(requestTo("http://10.0.0.2:8080/items"))
				.andExpect(header(IsolationTags.GROUP, "feature-x"))
				.andExpect(header(IsolationTags.FAIL_FAST, "billing"))
				.andRespond(withSuccess());

			restTemplate.getForEntity("http://inventory/items", Void.class);

			server.verify();
		});
	}

	@Test
	void shouldRouteByTheTagAndSendItOnFromALoadBalancedRestClient() {
		this.runner.withBean(IsolationContext.class, () -> () -> featureX()).run((context) -> {
			RestClient.Builder builder = context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class);
			MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
			server.expect(requestTo("http://10.0.0.2:8080/items"))
				.andExpect(header(IsolationTags.GROUP, "feature-x"))
				.andRespond(withSuccess());

			builder.build().get().uri("http://inventory/items").retrieve().toBodilessEntity();

			server.verify();
		});
	}

	@Test
	void shouldFailAFailFastCallBeforeAnyRequestIsMade() {
		this.runner.withBean(IsolationContext.class, () -> () -> featureX()).run((context) -> {
			RestTemplate restTemplate = context.getBean("loadBalancedRestTemplate", RestTemplate.class);
			MockRestServiceServer server = MockRestServiceServer.bindTo(restTemplate).build();

			assertThatExceptionOfType(IsolationRoutingException.class)
				.isThrownBy(() -> restTemplate.getForEntity("http://billing/invoices", Void.class))
				.withMessageContaining("'billing'")
				.withMessageContaining("'feature-x'")
				.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(RouteOutcome.FAIL_FAST));
			server.verify();
		});
	}

	@Test
	void shouldFailAFailFastCallFromARestClientBeforeAnyRequestIsMade() {
		this.runner.withBean(IsolationContext.class, () -> () -> featureX()).run((context) -> {
			RestClient.Builder builder = context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class);
			MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
			RestClient client = builder.build();

			assertThatExceptionOfType(IsolationRoutingException.class)
				.isThrownBy(() -> client.get().uri("http://billing/invoices").retrieve().toBodilessEntity())
				.withMessageContaining("'billing'");
			server.verify();
		});
	}

	@Test
	void shouldSendAnUntaggedCallToStableWithoutATag() {
		this.runner.run((context) -> {
			RestTemplate restTemplate = context.getBean("loadBalancedRestTemplate", RestTemplate.class);
			MockRestServiceServer server = MockRestServiceServer.bindTo(restTemplate).build();
			server.expect(requestTo("http://10.0.0.1:8080/items"))
				.andExpect(headerDoesNotExist(IsolationTags.GROUP))
				.andExpect(headerDoesNotExist(IsolationTags.FAIL_FAST))
				.andRespond(withSuccess());

			restTemplate.getForEntity("http://inventory/items", Void.class);

			server.verify();
		});
	}

	@Test
	void shouldBackOffWhenIsolationIsDisabled() {
		this.runner.withPropertyValues("isolation.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(IsolationClientHttpRequestInterceptor.class);
			assertThat(context.getBean("loadBalancedRestTemplate", RestTemplate.class).getInterceptors())
				.singleElement()
				.isInstanceOf(LoadBalancerInterceptor.class);
			assertThat(interceptorsOf(context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class)))
				.singleElement()
				.isInstanceOf(DeferringLoadBalancerInterceptor.class);
		});
	}

	@Test
	void shouldBackOffWithoutSpringWebsRestTemplate() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IsolationAutoConfiguration.class,
					IsolationRestTemplateAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(RestTemplate.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(IsolationContext.class)
				.doesNotHaveBean(IsolationClientHttpRequestInterceptor.class));
	}

	@Test
	void shouldUseTheUsersInterceptor() {
		IsolationClientHttpRequestInterceptor userInterceptor = new IsolationClientHttpRequestInterceptor(
				() -> IsolationTag.UNTAGGED);
		this.runner.withBean(IsolationClientHttpRequestInterceptor.class, () -> userInterceptor).run((context) -> {
			assertThat(context).getBean(IsolationClientHttpRequestInterceptor.class).isSameAs(userInterceptor);
			assertThat(context.getBean("loadBalancedRestTemplate", RestTemplate.class).getInterceptors().get(0))
				.isSameAs(userInterceptor);
		});
	}

	private static IsolationTag featureX() {
		return new IsolationTag(IsolationGroup.of("feature-x"), FailFastServices.of(List.of("billing")));
	}

	private static List<ClientHttpRequestInterceptor> interceptorsOf(RestClient.Builder builder) {
		List<ClientHttpRequestInterceptor> interceptors = new ArrayList<>();
		builder.clone().requestInterceptors(interceptors::addAll);
		return interceptors;
	}

	@Configuration(proxyBeanMethods = false)
	static class Clients {

		@Bean
		@LoadBalanced
		RestTemplate loadBalancedRestTemplate() {
			return new RestTemplate();
		}

		@Bean
		RestTemplate plainRestTemplate() {
			return new RestTemplate();
		}

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClientBuilder() {
			return RestClient.builder();
		}

		@Bean
		RestClient.Builder plainRestClientBuilder() {
			return RestClient.builder();
		}

	}

}
