package io.github.isolation.zookeeper;

import org.apache.curator.utils.PathUtils;
import org.apache.curator.utils.ZKPaths;

import io.github.isolation.core.LogSafe;

/**
 * Where bindings live in ZooKeeper, below a configurable root (default
 * {@value #DEFAULT_ROOT}):
 *
 * <pre>
 * {root}/bindings/{serviceId}/{host}:{port}   data: group name (UTF-8)
 * {root}/sources/{ip}                         data: group name (UTF-8)
 * {root}/rules/edge/{id}                       data: one edge rule as JSON (UTF-8), see EdgeRuleJson
 * {root}/kafka/{serviceId}/{C}/{T}/{G}/{partition}   data: a Kafka lane's spans (LaneSpans), kept by isolation-kafka
 * {root}/kafka/{serviceId}/{C}/{T}/{G}/retiring      a request for that lane to close
 * </pre>
 *
 * Service ids, hosts and IPs appear in their canonical form (see {@link BindingNames}), IPv6
 * hosts in brackets: {@code /isolation/bindings/inventory/[fd00::7]:8080}.
 *
 * @since 0.1.0
 */
public final class BindingPaths {

	/** The default root. */
	public static final String DEFAULT_ROOT = "/isolation";

	/** The child of the root that holds instance bindings, one child per service. */
	public static final String BINDINGS = "bindings";

	/** The child of the root that holds source bindings, one child per IP address. */
	public static final String SOURCES = "sources";

	/** The child of the root that holds rules. */
	public static final String RULES = "rules";

	/** The child of the root under which isolation-kafka keeps where its lanes are open. */
	public static final String KAFKA = "kafka";

	/** The child of a Kafka lane's node, beside its partitions, that asks for the lane to close. */
	public static final String KAFKA_LANE_RETIRING = "retiring";

	/** The child of {@link #RULES} that holds edge rules, one child per rule id. */
	public static final String EDGE_RULES = "edge";

	private static final BindingPaths DEFAULTS = new BindingPaths(DEFAULT_ROOT);

	private final String root;

	private final String bindingsPath;

	private final String sourcesPath;

	private final String edgeRulesPath;

	private BindingPaths(String root) {
		this.root = root;
		this.bindingsPath = ZKPaths.makePath(root, BINDINGS);
		this.sourcesPath = ZKPaths.makePath(root, SOURCES);
		this.edgeRulesPath = ZKPaths.makePath(root, RULES, EDGE_RULES);
	}

	/**
	 * The layout under {@value #DEFAULT_ROOT}.
	 * @return the default layout
	 */
	public static BindingPaths defaults() {
		return DEFAULTS;
	}

	/**
	 * The layout under a root.
	 * @param root an absolute path below {@code /}, such as {@code /isolation} or
	 * {@code /test-env/isolation}; one trailing slash is ignored
	 * @return the layout
	 * @throws IllegalArgumentException if the root is not such a path
	 */
	public static BindingPaths of(String root) {
		String candidate = (root != null && root.length() > 1 && root.endsWith("/"))
				? root.substring(0, root.length() - 1) : root;
		if (DEFAULT_ROOT.equals(candidate)) {
			return DEFAULTS;
		}
		boolean valid = candidate != null && candidate.length() > 1;
		if (valid) {
			try {
				PathUtils.validatePath(candidate);
			}
			catch (IllegalArgumentException ex) {
				valid = false;
			}
		}
		if (!valid) {
			throw new IllegalArgumentException("root must be an absolute ZooKeeper path below '/' such as '"
					+ DEFAULT_ROOT + "', but was " + LogSafe.quote(root));
		}
		return new BindingPaths(candidate);
	}

	/**
	 * The root.
	 * @return the root, without a trailing slash
	 */
	public String root() {
		return this.root;
	}

	/**
	 * The parent of all instance bindings.
	 * @return {@code {root}/bindings}
	 */
	public String bindingsPath() {
		return this.bindingsPath;
	}

	/**
	 * The parent of all source bindings.
	 * @return {@code {root}/sources}
	 */
	public String sourcesPath() {
		return this.sourcesPath;
	}

	/**
	 * The parent of all edge rules.
	 * @return {@code {root}/rules/edge}
	 */
	public String edgeRulesPath() {
		return this.edgeRulesPath;
	}

	/**
	 * The node of one edge rule.
	 * @param id the rule's id
	 * @return {@code {root}/rules/edge/{id}}
	 * @throws io.github.isolation.core.rules.RuleValidationException if the id is not valid
	 */
	public String edgeRulePath(String id) {
		io.github.isolation.core.rules.EdgeRule.checkId(id);
		return ZKPaths.makePath(this.edgeRulesPath, id);
	}

	/**
	 * The parent of the bindings of one service.
	 * @param serviceId the service id, in any case
	 * @return {@code {root}/bindings/{serviceId}}
	 * @throws IllegalArgumentException if the service id is malformed
	 */
	public String servicePath(String serviceId) {
		return ZKPaths.makePath(this.bindingsPath, BindingNames.checkServiceId(serviceId));
	}

	/**
	 * The node of one instance's binding.
	 * @param serviceId the service id, in any case
	 * @param address the instance's address
	 * @return {@code {root}/bindings/{serviceId}/{host}:{port}}
	 * @throws IllegalArgumentException if the service id is malformed
	 */
	public String instancePath(String serviceId, InstanceAddress address) {
		return ZKPaths.makePath(servicePath(serviceId), address.toString());
	}

	/**
	 * The node of one source address's binding.
	 * @param address an IPv4 or IPv6 address
	 * @return {@code {root}/sources/{ip}}
	 * @throws IllegalArgumentException if the address is not an IP address
	 */
	public String sourcePath(String address) {
		return ZKPaths.makePath(this.sourcesPath, BindingNames.checkSourceAddress(address));
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof BindingPaths that) && this.root.equals(that.root);
	}

	@Override
	public int hashCode() {
		return this.root.hashCode();
	}

	@Override
	public String toString() {
		return this.root;
	}

}
