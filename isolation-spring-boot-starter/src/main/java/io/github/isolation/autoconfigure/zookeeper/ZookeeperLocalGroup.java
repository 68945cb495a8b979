package io.github.isolation.autoconfigure.zookeeper;

import io.github.isolation.autoconfigure.IsolationProperties;
import io.github.isolation.autoconfigure.LocalGroup;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.InstanceAddress;
import io.github.isolation.zookeeper.SelfBinding;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

/**
 * The group of this instance when bindings live in ZooKeeper: its binding there (which an
 * operator can change while it runs), else {@code isolation.group}, else stable. With
 * {@code isolation.group} set to a non-stable group the instance binds itself with an
 * ephemeral node once it is ready, and removes it when the application stops.
 *
 * <p>The node goes first thing when the context stops: its lifecycle phase is the highest, so
 * it stops before the web server's graceful shutdown and before the discovery registration
 * goes. Callers hold on to an instance that discovery no longer lists only while its own binding
 * is there, so none holds on to one that is shutting down. A context started again (such as
 * after a checkpoint) binds again.
 *
 * <p>The instance binds under the address discovery reports for it: the discovery
 * registration's host and port where there is one, else {@code server.address} or the first
 * non-loopback address and the web server's port; {@code isolation.instance.host} and
 * {@code isolation.instance.port} override both, and a difference from the registration is
 * logged.
 *
 * @since 0.1.0
 */
public class ZookeeperLocalGroup
		implements LocalGroup, ApplicationListener<ApplicationReadyEvent>, SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(ZookeeperLocalGroup.class);

	private final IsolationZookeeperClient zookeeper;

	private final GroupBindings bindings;

	private final IsolationProperties properties;

	private final IsolationGroup configured;

	private final ObjectProvider<Registration> registration;

	private final ObjectProvider<InetUtils> inetUtils;

	private volatile String serviceId;

	private volatile InstanceAddress address;

	// Guarded by this.
	private SelfBinding selfBinding;

	// Guarded by this.
	private boolean running;

	public ZookeeperLocalGroup(IsolationZookeeperClient zookeeper, GroupBindings bindings,
			IsolationProperties properties, ObjectProvider<Registration> registration,
			ObjectProvider<InetUtils> inetUtils) {
		this.zookeeper = zookeeper;
		this.bindings = bindings;
		this.properties = properties;
		this.configured = (properties.getGroup() != null) ? IsolationGroup.of(properties.getGroup()) : null;
		this.registration = registration;
		this.inetUtils = inetUtils;
	}

	@Override
	public IsolationGroup current() {
		InstanceAddress self = this.address;
		if (self != null) {
			IsolationGroup bound = this.bindings.instanceGroup(this.serviceId, self.host(), self.port()).orElse(null);
			if (bound != null) {
				return bound;
			}
		}
		return (this.configured != null) ? this.configured : IsolationGroup.STABLE;
	}

	@Override
	public String origin() {
		InstanceAddress self = this.address;
		if (self != null && this.bindings.instanceGroup(this.serviceId, self.host(), self.port()).isPresent()) {
			return "binding";
		}
		return (this.configured != null) ? "property" : "default";
	}

	/**
	 * The service id this instance binds under, once the application is ready.
	 * @return the service id, or {@code null} before or if it cannot be told
	 */
	public String serviceId() {
		return this.serviceId;
	}

	/**
	 * The address this instance binds under, once the application is ready.
	 * @return the address, or {@code null} before or if it cannot be told
	 */
	public InstanceAddress address() {
		return this.address;
	}

	@Override
	public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.address != null) {
			return;
		}
		Environment environment = event.getApplicationContext().getEnvironment();
		if (!this.zookeeper.client().getZookeeperClient().isConnected()) {
			logger.warn("ZooKeeper at " + this.zookeeper.client().getZookeeperClient().getCurrentConnectionString()
					+ " is not reachable yet: routing by discovery metadata until it is; bindings apply as soon as it"
					+ " connects");
		}
		Registration registered = this.registration.getIfAvailable();
		String service = (registered != null) ? registered.getServiceId()
				: environment.getProperty("spring.application.name");
		String host = host(registered, environment);
		Integer port = port(registered, environment);
		if (service == null || host == null || port == null || port <= 0) {
			logger.warn("Cannot tell this instance's service id and address (service " + service + ", host " + host
					+ ", port " + port + "): it does not bind itself and its own binding is not read. Set "
					+ "spring.application.name, isolation.instance.host and isolation.instance.port");
			return;
		}
		this.serviceId = service;
		this.address = new InstanceAddress(host, port);
		if (this.zookeeper.client().getZookeeperClient().isConnected()) {
			// A view that holds only the services in use must hold this one's own binding.
			this.bindings.prepare(service);
		}
		bind();
	}

	private void bind() {
		if (this.configured == null || this.configured.isStable() || this.address == null || !this.running
				|| this.selfBinding != null) {
			return;
		}
		this.selfBinding = new SelfBinding(this.zookeeper.client(), this.zookeeper.paths(),
				this.zookeeper.credentials(), this.serviceId, this.address, this.configured);
		this.selfBinding.start();
		logger.info("Binding " + this.serviceId + " " + this.address + " to isolation group '" + this.configured + "'");
	}

	private void unbind() {
		if (this.selfBinding != null) {
			this.selfBinding.close();
			this.selfBinding = null;
		}
	}

	@Override
	public synchronized void start() {
		this.running = true;
		// The first time, the address is not known yet: binding waits for the application to be ready.
		bind();
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		unbind();
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	/**
	 * The highest phase, so that the binding goes before anything else stops.
	 * @return {@link SmartLifecycle#DEFAULT_PHASE}
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	private String host(Registration registered, Environment environment) {
		String override = this.properties.getInstance().getHost();
		if (override != null) {
			if (registered != null && !override.equalsIgnoreCase(registered.getHost())) {
				logger.warn("isolation.instance.host " + override + " differs from the host discovery registers, "
						+ registered.getHost() + ": routing finds this instance's binding only under the host "
						+ "discovery reports");
			}
			return override;
		}
		if (registered != null && registered.getHost() != null) {
			return registered.getHost();
		}
		String serverAddress = environment.getProperty("server.address");
		if (serverAddress != null) {
			return serverAddress;
		}
		InetUtils utils = this.inetUtils.getIfAvailable();
		return (utils != null) ? utils.findFirstNonLoopbackHostInfo().getIpAddress() : null;
	}

	private Integer port(Registration registered, Environment environment) {
		Integer override = this.properties.getInstance().getPort();
		if (override != null) {
			if (registered != null && registered.getPort() > 0 && registered.getPort() != override) {
				logger.warn("isolation.instance.port " + override + " differs from the port discovery registers, "
						+ registered.getPort() + ": routing finds this instance's binding only under the port "
						+ "discovery reports");
			}
			return override;
		}
		if (registered != null && registered.getPort() > 0) {
			return registered.getPort();
		}
		return environment.getProperty("local.server.port", Integer.class);
	}

	@Override
	public void destroy() {
		stop();
	}

}
