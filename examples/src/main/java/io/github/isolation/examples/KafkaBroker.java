package io.github.isolation.examples;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The demo's Kafka broker in a JVM of its own: for example services started by hand and for the
 * end-to-end suite, which runs the broker as a process beside the services'. The same real KRaft
 * broker as the demo's, with the topic {@value OrderPlacedListener#TOPIC} made, on a free port of
 * its choosing:
 *
 * <pre>
 * java -cp isolation-examples.jar -Dloader.main=io.github.isolation.examples.KafkaBroker \
 *     org.springframework.boot.loader.launch.PropertiesLauncher
 * </pre>
 *
 * Prints {@value #READY} and its address once it serves (give it to the services as
 * {@code --spring.kafka.bootstrap-servers}), and serves until the process ends.
 */
public final class KafkaBroker {

	/** The start of the line printed once the broker serves. */
	public static final String READY = "Kafka broker up on ";

	private KafkaBroker() {
	}

	/**
	 * Starts the broker.
	 * @param args none
	 * @throws InterruptedException when interrupted while serving
	 */
	public static void main(String[] args) throws InterruptedException {
		if (args.length != 0) {
			System.err.println("KafkaBroker takes no arguments; it prints the address it serves on");
			System.exit(2);
		}
		// Warnings only: left unconfigured, the broker logs every step at debug level.
		LoggingSystem logging = LoggingSystem.get(KafkaBroker.class.getClassLoader());
		logging.beforeInitialize();
		logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
		logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, Demo.PARTITIONS, OrderPlacedListener.TOPIC);
		broker.afterPropertiesSet();
		Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "kafka-broker-shutdown"));
		System.out.println(READY + broker.getBrokersAsString());
		Thread.currentThread().join();
	}

}
