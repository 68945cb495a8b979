package io.github.isolation.it.gateway;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A Spring Cloud Gateway with nothing but auto-configuration: its routes, its edge and its
 * discovery all come from properties, as a user would write them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class GatewayApp {

}
