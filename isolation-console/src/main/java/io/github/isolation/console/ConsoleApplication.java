package io.github.isolation.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The console: {@code java -jar isolation-console.jar --isolation.zookeeper.connect-string=zk:2181}.
 *
 * @since 0.1.0
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties({ ConsoleProperties.class, ConsoleZookeeperProperties.class })
public class ConsoleApplication {

	/**
	 * Starts the console.
	 * @param args Spring Boot arguments, such as {@code --isolation.zookeeper.connect-string=...}
	 */
	public static void main(String[] args) {
		SpringApplication.run(ConsoleApplication.class, args);
	}

}
