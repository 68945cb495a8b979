package io.github.isolation.examples;

import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.GetMapping;

/** The client for the hop {@code inventory -> pricing}: Feign, where isolation-feign adds the tag. */
@FeignClient("pricing")
public interface PricingClient {

	/**
	 * Asks pricing for its route.
	 * @return the route from pricing on
	 */
	@GetMapping("/")
	String route();

}
