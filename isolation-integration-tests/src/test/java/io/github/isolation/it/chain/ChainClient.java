package io.github.isolation.it.chain;

/** The HTTP clients a hop can call the next one with. */
public enum ChainClient {

	/** A Feign client instrumented for tracing. */
	FEIGN,

	/** A Feign client without tracing instrumentation. */
	PLAIN_FEIGN,

	/** A {@code @LoadBalanced RestTemplate} with an observation registry. */
	RESTTEMPLATE,

	/** A {@code @LoadBalanced RestTemplate} built by Spring Boot's {@code RestTemplateBuilder}. */
	BUILT_RESTTEMPLATE,

	/** A {@code @LoadBalanced new RestTemplate()}: sends no tracing headers of its own. */
	PLAIN_RESTTEMPLATE,

	/** A {@code RestClient} from a {@code @LoadBalanced} builder with an observation registry. */
	RESTCLIENT,

	/** A {@code RestClient} from a bare {@code @LoadBalanced RestClient.builder()}. */
	PLAIN_RESTCLIENT;

	/**
	 * The value of the {@code via} parameter.
	 * @return the name in lower case with hyphens
	 */
	public String via() {
		return name().toLowerCase().replace('_', '-');
	}

}
