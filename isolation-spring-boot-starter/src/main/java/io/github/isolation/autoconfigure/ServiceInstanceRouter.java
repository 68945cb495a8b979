package io.github.isolation.autoconfigure;

import java.util.List;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IndexedRouter;
import io.github.isolation.core.InstanceGroupResolver;
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

	// Decides once per instance list the delegate supplies, not once per call.
	private final IndexedRouter<ServiceInstance> indexedRouter;

	private final FailFastServices configuredFailFast;

	private final RoutingListeners listeners;

	/**
	 * Creates a router. It keeps the groups of the last instance list of each service (see
	 * {@link IndexedRouter}) until the list or the resolver's
	 * {@link InstanceGroupResolver#generation(String) generation} for that service changes, so
	 * a resolver whose answers can change must change its generation with them.
	 * @param groupResolver the group of each instance
	 * @param configuredFailFast the services this application never lets fall back
	 */
	public ServiceInstanceRouter(InstanceGroupResolver<ServiceInstance> groupResolver,
			FailFastServices configuredFailFast) {
		this(groupResolver, configuredFailFast, RoutingListeners.NONE);
	}

	/**
	 * Creates a router whose decisions are heard by listeners.
	 * @param groupResolver the group of each instance
	 * @param configuredFailFast the services this application never lets fall back
	 * @param listeners who hears each decision that {@link #choose} makes
	 */
	public ServiceInstanceRouter(InstanceGroupResolver<ServiceInstance> groupResolver,
			FailFastServices configuredFailFast, RoutingListeners listeners) {
		this.indexedRouter = new IndexedRouter<>(groupResolver);
		this.configuredFailFast = configuredFailFast;
		this.listeners = listeners;
	}

	/**
	 * Decides which instances a call may reach.
	 * @param serviceId the service being called
	 * @param tag the request's tag
	 * @param instances the instances of the service
	 * @return the decision
	 */
	public RouteDecision<ServiceInstance> decide(String serviceId, IsolationTag tag, List<ServiceInstance> instances) {
		return this.indexedRouter.route(serviceId, tag.group(), tag.failFast().union(this.configuredFailFast),
				instances);
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
		RouteDecision<ServiceInstance> decision = decide(serviceId, tag, instances);
		this.listeners.decided(decision);
		return decision.instancesOrThrow();
	}

}
