package io.github.isolation.zookeeper.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** The version of the tool, from a resource Maven fills in when it builds the jar. */
final class VersionProvider implements IVersionProvider {

	static final String RESOURCE = "isolation-cli.properties";

	@Override
	public String[] getVersion() throws IOException {
		Properties properties = new Properties();
		try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
			if (in != null) {
				properties.load(in);
			}
		}
		return new String[] { "isolation " + properties.getProperty("version", "(unknown version)"),
				"Java " + System.getProperty("java.version") };
	}

}
