package io.github.isolation.autoconfigure.edge;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the edge: the applications where requests enter the system (a gateway, a
 * front-end service) and take their isolation group.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = IsolationEdgeProperties.PREFIX)
public class IsolationEdgeProperties {

	/** The prefix of every property. */
	public static final String PREFIX = "isolation.edge";

	/**
	 * Whether this application is an edge: it colours each incoming request by the
	 * isolation-group header or W3C baggage entry, else the isolation-group cookie, else the
	 * source binding of the caller's address in ZooKeeper, and drops every tag it does not
	 * accept before the application or tracing sees it.
	 */
	private boolean enabled = false;

	/**
	 * Addresses of the proxies in front of this application, as CIDRs (10.0.0.0/8, fd00::/8, or
	 * one address). Only from these are the Forwarded for= and X-Forwarded-For headers honoured
	 * to find the caller's address; from anyone else the peer's address is the caller's. Empty:
	 * forwarding headers are never honoured.
	 */
	private List<String> trustedProxies = new ArrayList<>();

	/**
	 * Addresses of the callers allowed to choose a group (isolation-group header, W3C baggage
	 * entry or cookie) or a fail-fast list, as CIDRs, matched against the caller's address found
	 * through trusted-proxies. Tags from anyone else are dropped and counted. Empty: anyone may
	 * send a tag, so set this (or strip the tags at the outer proxy) on an edge the public
	 * internet reaches.
	 */
	private List<String> acceptTagsFrom = new ArrayList<>();

	/**
	 * The groups a request may enter with, as names (feature-x) or patterns where * stands for
	 * any run of characters (feature-*). Tags and source bindings naming any other group are
	 * dropped and counted. Empty: any valid group.
	 */
	private List<String> allowedGroups = new ArrayList<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<String> getTrustedProxies() {
		return this.trustedProxies;
	}

	public void setTrustedProxies(List<String> trustedProxies) {
		ranges("trusted-proxies", trustedProxies);
		this.trustedProxies = trustedProxies;
	}

	public List<String> getAcceptTagsFrom() {
		return this.acceptTagsFrom;
	}

	public void setAcceptTagsFrom(List<String> acceptTagsFrom) {
		ranges("accept-tags-from", acceptTagsFrom);
		this.acceptTagsFrom = acceptTagsFrom;
	}

	public List<String> getAllowedGroups() {
		return this.allowedGroups;
	}

	public void setAllowedGroups(List<String> allowedGroups) {
		try {
			AllowedGroups.of(allowedGroups);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ".allowed-groups: " + ex.getMessage());
		}
		this.allowedGroups = allowedGroups;
	}

	AddressRanges trustedProxyRanges() {
		return ranges("trusted-proxies", this.trustedProxies);
	}

	AddressRanges acceptTagsFromRanges() {
		return ranges("accept-tags-from", this.acceptTagsFrom);
	}

	AllowedGroups allowedGroupPatterns() {
		return AllowedGroups.of(this.allowedGroups);
	}

	private static AddressRanges ranges(String property, List<String> cidrs) {
		try {
			return AddressRanges.of(cidrs);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + "." + property + ": " + ex.getMessage());
		}
	}

}
