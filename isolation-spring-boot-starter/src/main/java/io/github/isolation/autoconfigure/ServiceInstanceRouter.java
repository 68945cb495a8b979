package io.github.isolation.autoconfigure;

import java.util.List;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.InstanceGroupResolver;
import io.github.isolation.core.IsolationRouter;
import io.github.isolation.core.IsolationRoutingException;
import io.github.isolation.core.RouteDecision;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Applies the routing rule to Spring Cloud's instances: the request's tag, this application's
 * configured fail-fast services and the group of each instance go in, the instances that may be
 * called come out.
 *
 * @since 0.1.0
 */
public class ServiceInstanceRouter {

	private final InstanceGroupResolver<ServiceInstance> groupResolver;

	private final FailFastServices configuredFailFast;

	/**
	 * Creates a router.
	 * @param groupResolver the group of each instance
	 * @param configuredFailFast the services this application never lets fall back
	 */
	public ServiceInstanceRouter(InstanceGroupResolver<ServiceInstance> groupResolver,
			FailFastServices configuredFailFast) {
		this.groupResolver = groupResolver;
		this.configuredFailFast = configuredFailFast;
	}

	/**
	 * Decides which instances a call may reach.
	 * @param serviceId the service being called
	 * @param tag the request's tag
	 * @param instances the instances of the service
	 * @return the decision
	 */
	public RouteDecision<ServiceInstance> decide(String serviceId, IsolationTag tag, List<ServiceInstance> instances) {
		return IsolationRouter.route(serviceId, tag.group(), tag.failFast().union(this.configuredFailFast), instances,
				this.groupResolver);
	}

	/**
	 * The instances a call may reach.
	 * @param serviceId the service being called
	 * @param tag the request's tag
	 * @param instances the instances of the service
	 * @return the instances, never empty
	 * @throws IsolationRoutingException if the rule allows none, explaining why
	 */
	public List<ServiceInstance> choose(String serviceId, IsolationTag tag, List<ServiceInstance> instances) {
		return decide(serviceId, tag, instances).instancesOrThrow();
	}

}
