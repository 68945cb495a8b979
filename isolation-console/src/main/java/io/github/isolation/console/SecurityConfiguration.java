package io.github.isolation.console;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.ClassUtils;

/**
 * Who may see and change what: every page needs a login; viewers read, operators also write.
 * Form login with the users of {@code isolation.console.users}; CSRF protection on (Spring
 * Security's default), so a write needs the token of a page the console served.
 *
 * <p>OIDC is plugged in by standard Spring Security configuration: with
 * {@code spring-security-oauth2-client} on the class path and a
 * {@code spring.security.oauth2.client.registration.*} registration, the login page offers it
 * too, and {@link #oidcRoles} maps its users to viewer, or operator when the provider grants
 * {@code isolation.console.oidc-operator-authority}.
 *
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	static final String VIEWER = "VIEWER";

	static final String OPERATOR = "OPERATOR";

	private static final String CLIENT_REGISTRATIONS = "org.springframework.security.oauth2.client.registration.ClientRegistrationRepository";

	@Bean
	@ConditionalOnMissingBean
	SecurityFilterChain consoleSecurityFilterChain(HttpSecurity http, ApplicationContext context) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/console.css", "/console.js", "/error")
			.permitAll()
			.requestMatchers(HttpMethod.GET, "/**")
			.hasAnyRole(VIEWER, OPERATOR)
			.anyRequest()
			.hasRole(OPERATOR))
			.formLogin((form) -> form.loginPage("/login").permitAll())
			.logout(Customizer.withDefaults())
			// Pages from ZooKeeper data are escaped, and a policy that allows no inline script
			// or foreign source is the second line of defence should one slip through.
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(
					"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")));
		if (ClassUtils.isPresent(CLIENT_REGISTRATIONS, getClass().getClassLoader())
				&& context.getBeanNamesForType(ClassUtils.resolveClassName(CLIENT_REGISTRATIONS, null)).length > 0) {
			http.oauth2Login((oauth) -> oauth.loginPage("/login"));
		}
		return http.build();
	}

	@Bean
	@ConditionalOnMissingBean
	InMemoryUserDetailsManager consoleUsers(ConsoleProperties properties) {
		List<UserDetails> users = new ArrayList<>();
		for (Map.Entry<String, ConsoleProperties.User> entry : properties.getUsers().entrySet()) {
			ConsoleProperties.User user = entry.getValue();
			if (user.getPassword() == null || user.getPassword().isBlank()) {
				throw new IllegalArgumentException(
						"isolation.console.users." + entry.getKey() + ".password must be set, but was empty");
			}
			users.add(User.withUsername(entry.getKey())
				.password(user.getPassword())
				.roles(user.getRole().name())
				.build());
		}
		return new InMemoryUserDetailsManager(users);
	}

	/**
	 * Roles for users who log in through OIDC: viewer, and operator as well when the provider
	 * granted the configured authority. Users of the form login keep their own roles.
	 */
	@Bean
	@ConditionalOnMissingBean
	GrantedAuthoritiesMapper oidcRoles(ObjectProvider<ConsoleProperties> properties) {
		return (Collection<? extends GrantedAuthority> granted) -> {
			Set<GrantedAuthority> mapped = new HashSet<>(granted);
			mapped.add(new SimpleGrantedAuthority("ROLE_" + VIEWER));
			String operator = properties.getObject().getOidcOperatorAuthority();
			if (operator != null && granted.stream().anyMatch((authority) -> operator.equals(authority.getAuthority()))) {
				mapped.add(new SimpleGrantedAuthority("ROLE_" + OPERATOR));
			}
			return mapped;
		};
	}

}
