package io.github.isolation.it.gateway;

/**
 * {@link AbstractGatewayRoutingTests} on Spring Cloud Gateway Server WebFlux, whose edge is the
 * reactive edge filter.
 */
class WebFluxGatewayRoutingTests extends AbstractGatewayRoutingTests {

	@Override
	Flavour flavour() {
		return Flavour.WEBFLUX;
	}

}
