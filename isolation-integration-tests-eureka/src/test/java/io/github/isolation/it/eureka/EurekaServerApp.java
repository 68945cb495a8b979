package io.github.isolation.it.eureka;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

/** A plain Eureka server, as a Spring Cloud user runs it: nothing but auto-configuration and properties. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableEurekaServer
public class EurekaServerApp {

}
