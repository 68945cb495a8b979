package io.github.isolation.console;

import java.util.Optional;

import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.TagRejection;
import io.github.isolation.zookeeper.BindingNames;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.BindingStoreException;
import io.github.isolation.zookeeper.InstanceAddress;
import io.github.isolation.zookeeper.InstanceBinding;
import io.github.isolation.zookeeper.SourceBinding;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The writes: bind and unbind instances and source addresses, and tear a group down. Each goes
 * through {@link BindingStore}, as the command-line tool's do, with the console's digest
 * credentials, and leaves one {@link AuditLog} line whether it succeeded or not. Only operators
 * reach these (see {@link SecurityConfiguration}); bad input comes back as one line naming the
 * field, with the form filled in as it was.
 */
@Controller
class BindingController {

	private final BindingStore store;

	private final AuditLog audit;

	private final EnvironmentMonitor monitor;

	BindingController(BindingStore store, AuditLog audit, EnvironmentMonitor monitor) {
		this.store = store;
		this.audit = audit;
		this.monitor = monitor;
	}

	@PostMapping("/bindings/instance")
	String bind(@RequestParam("service") String service, @RequestParam("address") String address,
			@RequestParam("group") String group, Authentication user, RedirectAttributes redirect) {
		redirect.addAttribute("service", service).addAttribute("address", address);
		String target = service + " " + address;
		try {
			String serviceId = BindingNames.checkServiceId(service.strip());
			InstanceAddress instance = InstanceAddress.parse(address.strip());
			IsolationGroup to = group(group);
			Optional<IsolationGroup> before = this.store.instanceBinding(serviceId, instance).map(InstanceBinding::group);
			this.store.bind(serviceId, instance, to);
			this.audit.write(user.getName(), "bind", target, before.orElse(null), to, "ok");
			return done(redirect, "Bound " + serviceId + " " + instance + " to " + to.name());
		}
		catch (IllegalArgumentException | BindingStoreException ex) {
			this.audit.write(user.getName(), "bind", target, null, group, ex.getMessage());
			return failed(redirect, ex);
		}
	}

	@PostMapping("/bindings/instance/remove")
	String unbind(@RequestParam("service") String service, @RequestParam("address") String address,
			Authentication user, RedirectAttributes redirect) {
		String target = service + " " + address;
		try {
			String serviceId = BindingNames.checkServiceId(service.strip());
			InstanceAddress instance = InstanceAddress.parse(address.strip());
			Optional<InstanceBinding> removed = this.store.unbind(serviceId, instance);
			this.audit.write(user.getName(), "unbind", target, removed.map(InstanceBinding::group).orElse(null), null,
					"ok");
			return done(redirect, removed.isPresent() ? "Unbound " + serviceId + " " + instance
					: serviceId + " " + instance + " had no binding");
		}
		catch (IllegalArgumentException | BindingStoreException ex) {
			this.audit.write(user.getName(), "unbind", target, null, null, ex.getMessage());
			return failed(redirect, ex);
		}
	}

	@PostMapping("/bindings/source")
	String bindSource(@RequestParam("address") String address, @RequestParam("group") String group,
			Authentication user, RedirectAttributes redirect) {
		try {
			String source = BindingNames.checkSourceAddress(address.strip());
			IsolationGroup to = group(group);
			Optional<IsolationGroup> before = this.store.sourceBinding(source).map(SourceBinding::group);
			this.store.bindSource(source, to);
			this.audit.write(user.getName(), "bind-source", source, before.orElse(null), to, "ok");
			return done(redirect, "Bound source " + source + " to " + to.name());
		}
		catch (IllegalArgumentException | BindingStoreException ex) {
			this.audit.write(user.getName(), "bind-source", address, null, group, ex.getMessage());
			return failed(redirect, ex);
		}
	}

	@PostMapping("/bindings/source/remove")
	String unbindSource(@RequestParam("address") String address, Authentication user, RedirectAttributes redirect) {
		try {
			String source = BindingNames.checkSourceAddress(address.strip());
			Optional<SourceBinding> removed = this.store.unbindSource(source);
			this.audit.write(user.getName(), "unbind-source", source, removed.map(SourceBinding::group).orElse(null),
					null, "ok");
			return done(redirect, removed.isPresent() ? "Unbound source " + source : "Source " + source + " had no binding");
		}
		catch (IllegalArgumentException | BindingStoreException ex) {
			this.audit.write(user.getName(), "unbind-source", address, null, null, ex.getMessage());
			return failed(redirect, ex);
		}
	}

	@PostMapping("/groups/{group}/teardown")
	String tearDown(@PathVariable("group") String group, @RequestParam(name = "confirm", defaultValue = "") String confirm,
			Authentication user, RedirectAttributes redirect) {
		try {
			IsolationGroup target = group(group);
			if (!confirm.strip().equals(target.name())) {
				redirect.addFlashAttribute("error",
						"confirm: type the group's name, " + target.name() + ", to tear it down");
				return "redirect:/groups/" + target.name();
			}
			BindingStore.PruneResult result = this.store.prune(target);
			this.audit.write(user.getName(), "teardown", target.name(),
					result.removedInstances().size() + " instance and " + result.removedSources().size()
							+ " source bindings",
					null, "ok");
			this.monitor.refreshSoon();
			redirect.addFlashAttribute("message", "Tore down " + target.name() + ": removed "
					+ result.removedInstances().size() + " instance and " + result.removedSources().size()
					+ " source bindings; instances' own bindings stay until they stop");
			return "redirect:/groups";
		}
		catch (IllegalArgumentException | BindingStoreException ex) {
			this.audit.write(user.getName(), "teardown", group, null, null, ex.getMessage());
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/groups";
		}
	}

	private String done(RedirectAttributes redirect, String message) {
		this.monitor.refreshSoon();
		redirect.addFlashAttribute("message", message);
		return "redirect:/bindings";
	}

	private static String failed(RedirectAttributes redirect, Exception ex) {
		redirect.addFlashAttribute("error", ex.getMessage());
		return "redirect:/bindings";
	}

	private static IsolationGroup group(String raw) {
		String name = (raw != null) ? raw.strip() : "";
		TagRejection rejection = IsolationGroup.check(name);
		if (rejection != null) {
			throw new IllegalArgumentException("group must be 1 to " + IsolationGroup.MAX_LENGTH
					+ " characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit (" + rejection + ")");
		}
		return IsolationGroup.of(name);
	}

}
