package io.github.isolation.it.gateway;

/** The two servers of Spring Cloud Gateway, each with its own property namespace. */
enum Flavour {

	/** Spring Cloud Gateway Server Web MVC, a servlet application. */
	WEBMVC("servlet", "webmvc"),

	/** Spring Cloud Gateway Server WebFlux, a reactive application on Netty. */
	WEBFLUX("reactive", "webflux");

	private final String webApplicationType;

	private final String server;

	Flavour(String webApplicationType, String server) {
		this.webApplicationType = webApplicationType;
		this.server = server;
	}

	/** @return the {@code spring.main.web-application-type} of a gateway of this flavour */
	String webApplicationType() {
		return this.webApplicationType;
	}

	/** @return the prefix of this flavour's gateway properties */
	String prefix() {
		return "spring.cloud.gateway.server." + this.server;
	}

	/** @return the property that switches this flavour's gateway on or off */
	String enabled() {
		return prefix() + ".enabled";
	}

}
