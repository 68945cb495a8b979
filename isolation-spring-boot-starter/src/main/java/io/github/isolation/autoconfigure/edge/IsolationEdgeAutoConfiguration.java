package io.github.isolation.autoconfigure.edge;

import io.github.isolation.autoconfigure.IsolationAutoConfiguration;
import io.github.isolation.autoconfigure.RoutingListeners;
import io.github.isolation.autoconfigure.zookeeper.IsolationZookeeperClient;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.rules.EdgeRules;
import io.github.isolation.zookeeper.EdgeRulesView;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.server.WebFilter;

/**
 * Makes this application an edge when {@code isolation.edge.enabled=true}: requests entering it
 * take their group from a trusted tag, a cookie, the source binding of the caller's address or
 * the edge rules in ZooKeeper, and every other tag is dropped before the application or tracing
 * sees it. Off by default, and
 * off when {@code isolation.enabled=false}. Every bean can be replaced by one of the same type.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = IsolationAutoConfiguration.class)
@ConditionalOnBooleanProperty(IsolationEdgeProperties.PREFIX + ".enabled")
@ConditionalOnBean(RoutingListeners.class)
@EnableConfigurationProperties(IsolationEdgeProperties.class)
public class IsolationEdgeAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EdgeRuleActivity isolationEdgeRuleActivity(ObjectProvider<EdgeRuleSource> source,
			ObjectProvider<EdgeRuleListener> listeners) {
		return new EdgeRuleActivity(source.getIfAvailable(() -> EdgeRuleSource.NONE),
				listeners.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	EdgePolicy isolationEdgePolicy(IsolationEdgeProperties properties, GroupBindings bindings,
			RoutingListeners listeners, EdgeRuleActivity rules) {
		return new EdgePolicy(properties.trustedProxyRanges(), properties.acceptTagsFromRanges(),
				properties.allowedGroupPatterns(), bindings, listeners, rules);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(EdgeRulesView.class)
	@ConditionalOnBean(IsolationZookeeperClient.class)
	static class ZookeeperRulesConfiguration {

		@Bean(initMethod = "start", destroyMethod = "close")
		@ConditionalOnMissingBean
		EdgeRulesView isolationEdgeRulesView(IsolationZookeeperClient zookeeper) {
			return new EdgeRulesView(zookeeper.client(), zookeeper.paths());
		}

		@Bean
		@ConditionalOnMissingBean
		EdgeRuleSource isolationEdgeRuleSource(EdgeRulesView view) {
			return new EdgeRuleSource() {

				@Override
				public EdgeRules rules() {
					return view.rules();
				}

				@Override
				public Map<String, String> invalid() {
					return view.invalid();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ OncePerRequestFilter.class, HttpServletRequestWrapper.class })
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IsolationEdgeServletFilter isolationEdgeServletFilter(EdgePolicy policy) {
			return new IsolationEdgeServletFilter(policy);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass({ WebFilter.class, HttpHandlerDecoratorFactory.class })
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IsolationEdgeWebFilter isolationEdgeWebFilter(EdgePolicy policy) {
			return new IsolationEdgeWebFilter(policy);
		}

	}

}
