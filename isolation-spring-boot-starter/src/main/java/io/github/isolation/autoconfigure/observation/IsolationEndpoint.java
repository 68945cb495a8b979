package io.github.isolation.autoconfigure.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.github.isolation.autoconfigure.IsolationProperties;
import io.github.isolation.autoconfigure.edge.EdgeRuleActivity;
import io.github.isolation.autoconfigure.edge.IsolationEdgeProperties;
import io.github.isolation.autoconfigure.IsolationServiceInstanceListSupplier;
import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.autoconfigure.ServiceInstanceGroupResolver;
import io.github.isolation.core.GroupBindings;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;

/**
 * The {@code isolation} actuator endpoint, read-only: this instance's group and where it comes
 * from, the effective settings, the ZooKeeper view's state, the groups and instances of every
 * service this application has called, and the last non-trivial routing decisions. It is
 * exposed like any other endpoint ({@code management.endpoints.web.exposure.include}).
 *
 * @since 0.1.0
 */
@Endpoint(id = "isolation")
public class IsolationEndpoint {

	// An endpoint read must not hang on a slow discovery client.
	private static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(2);

	private final LocalGroup localGroup;

	private final IsolationProperties properties;

	private final RecentDecisions decisions;

	private final ServiceInstanceGroupResolver groups;

	private final ObjectProvider<LoadBalancerClientFactory> loadBalancers;

	private final ObjectProvider<RegistryState> registry;

	private final ObjectProvider<IsolationEdgeProperties> edge;

	private final ObjectProvider<EdgeRuleActivity> edgeRules;

	private final ObjectProvider<Section> sections;

	public IsolationEndpoint(LocalGroup localGroup, IsolationProperties properties, RecentDecisions decisions,
			GroupBindings bindings, ObjectProvider<LoadBalancerClientFactory> loadBalancers,
			ObjectProvider<RegistryState> registry, ObjectProvider<IsolationEdgeProperties> edge,
			ObjectProvider<EdgeRuleActivity> edgeRules, ObjectProvider<Section> sections) {
		this.edgeRules = edgeRules;
		this.sections = sections;
		this.localGroup = localGroup;
		this.properties = properties;
		this.decisions = decisions;
		this.groups = new ServiceInstanceGroupResolver(bindings);
		this.loadBalancers = loadBalancers;
		this.registry = registry;
		this.edge = edge;
	}

	@ReadOperation
	public Map<String, Object> isolation() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("group", this.localGroup.current().name());
		body.put("groupOrigin", this.localGroup.origin());
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("enabled", this.properties.isEnabled());
		settings.put("group", this.properties.getGroup());
		settings.put("failFast", this.properties.getFailFast());
		settings.put("routeHeader", this.properties.getDebug().isRouteHeader());
		settings.put("recentDecisions", this.properties.getDebug().getRecentDecisions());
		settings.put("endpointWrites", this.properties.getDebug().isEndpointWrites());
		settings.put("metricsMaxGroups", this.properties.getMetrics().getMaxGroups());
		settings.put("problemDetails", this.properties.getProblemDetails().isEnabled());
		IsolationEdgeProperties edge = this.edge.getIfAvailable();
		if (edge != null) {
			// What an edge accepts decides which groups traffic can enter at all: show it where it is checked.
			Map<String, Object> edgeSettings = new LinkedHashMap<>();
			edgeSettings.put("enabled", edge.isEnabled());
			edgeSettings.put("trustedProxies", edge.getTrustedProxies());
			edgeSettings.put("acceptTagsFrom", edge.getAcceptTagsFrom());
			edgeSettings.put("allowedGroups", edge.getAllowedGroups());
			settings.put("edge", edgeSettings);
		}
		body.put("settings", settings);
		RegistryState state = this.registry.getIfAvailable();
		if (state != null) {
			body.put("zookeeper", state.describe());
		}
		EdgeRuleActivity edgeRules = this.edgeRules.getIfAvailable();
		if (edgeRules != null) {
			body.put("edgeRules", edgeRules.describe());
		}
		this.sections.orderedStream().forEach((section) -> body.put(section.name(), describe(section)));
		body.put("services", services());
		body.put("recentDecisions", this.decisions.entries());
		return body;
	}

	private static Object describe(Section section) {
		try {
			return section.describe();
		}
		catch (RuntimeException ex) {
			// One integration's failure must not hide the rest of the endpoint.
			return Map.of("error", String.valueOf(ex.getMessage()));
		}
	}

	private Map<String, Map<String, List<String>>> services() {
		Map<String, Map<String, List<String>>> services = new TreeMap<>();
		LoadBalancerClientFactory factory = this.loadBalancers.getIfAvailable();
		if (factory == null) {
			return services;
		}
		for (String serviceId : new TreeSet<>(this.decisions.services())) {
			ServiceInstanceListSupplier supplier = factory.getInstance(serviceId, ServiceInstanceListSupplier.class);
			if (supplier instanceof IsolationServiceInstanceListSupplier isolation) {
				supplier = isolation.getDelegate();
			}
			Map<String, List<String>> byGroup = new TreeMap<>();
			try {
				List<ServiceInstance> instances = (supplier != null) ? supplier.get().blockFirst(DISCOVERY_TIMEOUT)
						: null;
				for (ServiceInstance instance : (instances != null) ? instances : List.<ServiceInstance>of()) {
					byGroup.computeIfAbsent(this.groups.groupOf(instance).name(), (group) -> new ArrayList<>())
						.add(instance.getHost() + ":" + instance.getPort());
				}
			}
			catch (RuntimeException ex) {
				// One slow or failing discovery lookup must not hide everything else.
				byGroup.put("error", List.of(String.valueOf(ex.getMessage())));
			}
			services.put(serviceId, byGroup);
		}
		return services;
	}

	/**
	 * A part of the endpoint that another integration adds, as a bean: isolation-kafka shows its
	 * lanes this way.
	 */
	public interface Section {

		/**
		 * The key of this part in the endpoint's body.
		 * @return a name unique in the body
		 */
		String name();

		/**
		 * This part as plain data, read at every request of the endpoint.
		 * @return maps, lists, strings and numbers
		 */
		Object describe();

	}

	/**
	 * What the endpoint and the health indicator show of a binding registry.
	 */
	public interface RegistryState {

		/**
		 * The registry's state as plain data.
		 * @return connection state, whether a view was loaded, its age, the bindings it holds
		 */
		Map<String, Object> describe();

	}

}
