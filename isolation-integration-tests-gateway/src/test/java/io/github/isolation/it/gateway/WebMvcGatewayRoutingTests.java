package io.github.isolation.it.gateway;

/**
 * {@link AbstractGatewayRoutingTests} on Spring Cloud Gateway Server Web MVC, whose edge is the
 * servlet edge filter.
 */
class WebMvcGatewayRoutingTests extends AbstractGatewayRoutingTests {

	@Override
	Flavour flavour() {
		return Flavour.WEBMVC;
	}

}
