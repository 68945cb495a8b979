package io.github.isolation.feign;

import java.util.Collection;

import feign.Capability;
import feign.Client;
import feign.Response;
import io.github.isolation.autoconfigure.RouteHeader;

/**
 * Hands the {@link RouteHeader} of every Feign response to the request being served, so that
 * this hop's route header shows the path beyond it. Registered only with
 * {@code isolation.debug.route-header=true}.
 *
 * @since 0.1.0
 */
public class RouteHeaderCapability implements Capability {

	@Override
	public Client enrich(Client client) {
		return (request, options) -> {
			Response response = client.execute(request, options);
			Collection<String> route = response.headers().get(RouteHeader.NAME);
			if (route != null && !route.isEmpty()) {
				RouteHeader.recordDownstream(route.iterator().next());
			}
			return response;
		};
	}

}
