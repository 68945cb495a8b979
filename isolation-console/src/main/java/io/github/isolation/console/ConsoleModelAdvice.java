package io.github.isolation.console;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page needs to know about who is looking: whether to offer write actions at all.
 * The server refuses a write from a viewer either way; hiding the buttons only keeps the page
 * honest.
 */
@ControllerAdvice
class ConsoleModelAdvice {

	@ModelAttribute("operator")
	boolean operator(Authentication authentication) {
		return authentication != null && authentication.getAuthorities()
			.stream()
			.anyMatch((authority) -> ("ROLE_" + SecurityConfiguration.OPERATOR).equals(authority.getAuthority()));
	}

	@ModelAttribute("user")
	String user(Authentication authentication) {
		return (authentication != null) ? authentication.getName() : "";
	}

}
