package io.github.isolation.autoconfigure.discovery;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.x.discovery.details.InstanceSerializer;
import org.apache.curator.x.discovery.details.ServiceDiscoveryImpl;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.zookeeper.discovery.ConditionalOnZookeeperDiscoveryEnabled;
import org.springframework.cloud.zookeeper.discovery.ZookeeperDiscoveryProperties;
import org.springframework.cloud.zookeeper.discovery.ZookeeperInstance;
import org.springframework.cloud.zookeeper.support.ServiceDiscoveryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Cloud ZooKeeper discovery, registers this instance through
 * {@link SteadyServiceDiscovery}, so that a reconnect to ZooKeeper does not take the instance
 * out of discovery for a moment (which would send its group's calls to {@code stable} in that
 * moment). Backs off when the application defines its own {@link ServiceDiscoveryCustomizer},
 * and with {@code isolation.discovery.keep-registration-on-reconnect=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
		beforeName = "org.springframework.cloud.zookeeper.support.CuratorServiceDiscoveryAutoConfiguration",
		afterName = "org.springframework.cloud.zookeeper.ZookeeperAutoConfiguration")
@ConditionalOnClass({ ServiceDiscoveryCustomizer.class, ServiceDiscoveryImpl.class })
@ConditionalOnBooleanProperty(name = { "isolation.enabled", "isolation.discovery.keep-registration-on-reconnect" },
		matchIfMissing = true)
@ConditionalOnDiscoveryEnabled
@ConditionalOnZookeeperDiscoveryEnabled
public class IsolationZookeeperDiscoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ServiceDiscoveryCustomizer.class)
	@ConditionalOnBean(CuratorFramework.class)
	ServiceDiscoveryCustomizer isolationSteadyServiceDiscoveryCustomizer(CuratorFramework curator,
			ZookeeperDiscoveryProperties properties, InstanceSerializer<ZookeeperInstance> serializer) {
		return (builder) -> new SteadyServiceDiscovery<>(curator, properties.getRoot(), serializer, null, false);
	}

}
