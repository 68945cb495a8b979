package io.github.isolation.example.boot41;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

/**
 * A service on Spring Boot 4.1 that answers {@code service@group}, followed by the route of
 * the next service ({@code example.next}) when it has one.
 */
@SpringBootApplication
@RestController
public class Boot41ExampleApplication {

	private final String self;

	private final String next;

	private final RestTemplate restTemplate;

	Boot41ExampleApplication(@Value("${spring.application.name}") String service,
			@Value("${isolation.group:stable}") String group, @Value("${example.next:}") String next,
			RestTemplate restTemplate) {
		this.self = service + "@" + group;
		this.next = next;
		this.restTemplate = restTemplate;
	}

	@Bean
	@LoadBalanced
	static RestTemplate restTemplate() {
		return new RestTemplate();
	}

	@GetMapping("/")
	String route() {
		return this.next.isEmpty() ? this.self
				: this.self + " > " + this.restTemplate.getForObject("http://" + this.next + "/", String.class);
	}

	public static void main(String[] args) {
		SpringApplication.run(Boot41ExampleApplication.class, args);
	}

}
