package io.github.isolation.zookeeper;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.imps.DefaultACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * ZooKeeper digest credentials ({@code user:password}) that protect bindings: nodes written
 * with them carry an ACL that lets only this identity change or delete them (and create or
 * delete nodes below them), while every client, with or without credentials, can read them.
 *
 * <p>A client that writes protected bindings must both authenticate with the credentials
 * ({@link #authorize(CuratorFrameworkFactory.Builder)}) and hand them to the
 * {@link BindingStore} or {@link SelfBinding} that writes, which put the ACL on the nodes they
 * create. ZooKeeper checks the ACL of a node's parent when a child is created or deleted, so a
 * binding is safe from deletion only when its service node was created with the ACL too: set
 * up the tree with credentials from the start. Nodes that already existed keep their ACL.
 *
 * @since 0.1.0
 */
public final class DigestCredentials {

	/** The ZooKeeper authentication scheme. */
	public static final String SCHEME = "digest";

	private final String user;

	private final String password;

	private final List<ACL> acl;

	private DigestCredentials(String user, String password) {
		this.user = user;
		this.password = password;
		String digest;
		try {
			digest = DigestAuthenticationProvider.generateDigest(user + ":" + password);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA1 is not available in this JVM", ex);
		}
		this.acl = List.of(new ACL(ZooDefs.Perms.ALL, new Id(SCHEME, digest)),
				new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
	}

	/**
	 * The credentials in {@code user:password} form.
	 * @param userAndPassword the user, a colon and the password; the password may contain colons
	 * @return the credentials
	 * @throws IllegalArgumentException if the value is not of that form
	 */
	public static DigestCredentials parse(String userAndPassword) {
		int colon = (userAndPassword != null) ? userAndPassword.indexOf(':') : -1;
		if (colon <= 0 || colon == userAndPassword.length() - 1) {
			// The value is a secret: never echo it.
			throw new IllegalArgumentException("auth must be USER:PASSWORD with a non-empty user and password, but was "
					+ ((userAndPassword == null) ? "null" : "a value of " + userAndPassword.length() + " characters"
							+ ((colon < 0) ? " without a colon" : "")));
		}
		return new DigestCredentials(userAndPassword.substring(0, colon), userAndPassword.substring(colon + 1));
	}

	/**
	 * The user.
	 * @return the user name
	 */
	public String user() {
		return this.user;
	}

	/**
	 * The ACL put on nodes written with these credentials: everything for this identity, read
	 * for anyone.
	 * @return the ACL
	 */
	public List<ACL> acl() {
		return this.acl;
	}

	/**
	 * The authentication data a client sends: {@code user:password} in UTF-8.
	 * @return a fresh copy of the bytes
	 */
	public byte[] authBytes() {
		return (this.user + ":" + this.password).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Makes a client authenticate with these credentials on every session.
	 * @param builder the client's builder
	 * @return the builder
	 */
	public CuratorFrameworkFactory.Builder authorize(CuratorFrameworkFactory.Builder builder) {
		return builder.authorization(SCHEME, authBytes());
	}

	/**
	 * An {@link ACLProvider} that gives this ACL to every node below a root and the open ACL
	 * elsewhere. Curator uses a client's provider for nodes that recipes such as
	 * {@code PersistentNode} create, so a client built with it writes a self-binding with the
	 * ACL from its first moment (see {@link SelfBinding}).
	 * @param paths the layout whose root is protected
	 * @return the provider
	 */
	public ACLProvider aclProvider(BindingPaths paths) {
		String root = paths.root();
		DefaultACLProvider open = new DefaultACLProvider();
		return new ACLProvider() {

			@Override
			public List<ACL> getDefaultAcl() {
				return open.getDefaultAcl();
			}

			@Override
			public List<ACL> getAclForPath(String path) {
				boolean protectedPath = path != null && (path.equals(root) || path.startsWith(root + "/"));
				return protectedPath ? DigestCredentials.this.acl : open.getAclForPath(path);
			}

		};
	}

	@Override
	public String toString() {
		return "DigestCredentials[user=" + this.user + ", password=****]";
	}

}
