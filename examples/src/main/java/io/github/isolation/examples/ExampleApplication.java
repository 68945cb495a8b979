package io.github.isolation.examples;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * The example services {@code web -> orders -> inventory -> pricing} in one application: which
 * service an instance is comes from {@code spring.application.name}, its group from
 * {@code isolation.group}. Every instance answers {@code GET /} with the route the request took
 * from there on, such as {@code web@stable > orders@feature-cart > inventory@stable > pricing@feature-cart}.
 *
 * <pre>
 * java -jar isolation-examples.jar --spring.application.name=orders --isolation.group=feature-cart
 * java -jar isolation-examples.jar demo [--once]
 * </pre>
 *
 * Nothing here is specific to isolation except the dependencies and {@code isolation.group}: the
 * services call each other as any Spring Cloud service does.
 */
@SpringBootApplication
@EnableFeignClients
public class ExampleApplication {

	/**
	 * Runs one service, or the demo when the first argument is {@code demo}.
	 * @param args Spring Boot arguments, or {@code demo} and the demo's options
	 */
	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals("demo")) {
			System.exit(Demo.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
		}
		SpringApplication.run(ExampleApplication.class, args);
	}

	/**
	 * The client for the hops {@code web -> orders} and {@code orders -> inventory}. A bare
	 * builder sends no tracing headers of its own; isolation-resttemplate adds the tag anyway.
	 * @return a builder whose clients resolve service ids through the load balancer
	 */
	@Bean
	@LoadBalanced
	RestClient.Builder loadBalancedRestClientBuilder() {
		return RestClient.builder();
	}

}
