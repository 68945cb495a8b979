package io.github.isolation.autoconfigure.discovery;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.InstanceSerializer;
import org.apache.curator.x.discovery.details.ServiceDiscoveryImpl;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Curator's service discovery, except that re-registering an instance whose ephemeral node is
 * still there, held by this client's own session, rewrites the node's data in place.
 *
 * <p>Curator registers its instances again each time the client reconnects, and registers by
 * deleting an existing node and creating it anew. After a ZooKeeper restart or a network
 * blip that the session survives, that deletion takes every instance out of discovery for a
 * moment. For a plain load balancer the moment is harmless. For isolation it is not: a call
 * for {@code feature-x} that looks in that moment finds no {@code feature-x} instance and falls
 * back to {@code stable}, though the instance never stopped. Rewriting the node keeps it
 * listed throughout, and still notifies whoever watches its data.
 *
 * <p>Anything else is registered as Curator does: a first registration, a node left by an
 * earlier session (which must be replaced so that it goes with the new one), and persistent
 * or sequential instances.
 *
 * @param <T> the instance payload
 * @since 0.1.0
 */
public class SteadyServiceDiscovery<T> extends ServiceDiscoveryImpl<T> {

	private final CuratorFramework client;

	private final String basePath;

	private final InstanceSerializer<T> serializer;

	/**
	 * Creates the discovery, as {@code ServiceDiscoveryBuilder} would with these settings.
	 * @param client the client, started by its owner
	 * @param basePath the path under which services register
	 * @param serializer how an instance is written
	 * @param thisInstance an instance to register at start, or {@code null}
	 * @param watchInstances whether to watch registered instances for changes made by others
	 */
	public SteadyServiceDiscovery(CuratorFramework client, String basePath, InstanceSerializer<T> serializer,
			ServiceInstance<T> thisInstance, boolean watchInstances) {
		super(client, basePath, serializer, thisInstance, watchInstances);
		this.client = client;
		this.basePath = basePath;
		this.serializer = serializer;
	}

	@Override
	protected void internalRegisterService(ServiceInstance<T> service) throws Exception {
		if (service.getServiceType() == ServiceType.DYNAMIC && rewriteOwnNode(service)) {
			return;
		}
		super.internalRegisterService(service);
	}

	/** Rewrites the instance's node if this session holds it; {@code false} if it does not. */
	private boolean rewriteOwnNode(ServiceInstance<T> service) throws Exception {
		String path = ZKPaths.makePath(this.basePath, service.getName(), service.getId());
		Stat stat = this.client.checkExists().forPath(path);
		if (stat == null || stat.getEphemeralOwner() != this.client.getZookeeperClient().getZooKeeper().getSessionId()) {
			return false;
		}
		try {
			this.client.setData().withVersion(stat.getVersion()).forPath(path, this.serializer.serialize(service));
			return true;
		}
		catch (KeeperException.NoNodeException | KeeperException.BadVersionException ex) {
			// Changed or gone since it was looked at: register as Curator does.
			return false;
		}
	}

}
