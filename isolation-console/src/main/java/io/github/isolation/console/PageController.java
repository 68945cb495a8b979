package io.github.isolation.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.zookeeper.BindingPaths;
import io.github.isolation.zookeeper.BindingStore;
import io.github.isolation.zookeeper.InstanceAddress;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The pages that read: the environment matrix, the groups, the bindings and the route planner.
 */
@Controller
class PageController {

	private final EnvironmentMonitor monitor;

	private final RoutePlanner planner;

	private final NodeDetails nodeDetails;

	private final BindingPaths paths;

	PageController(EnvironmentMonitor monitor, RoutePlanner planner, NodeDetails nodeDetails, BindingStore store) {
		this.monitor = monitor;
		this.planner = planner;
		this.nodeDetails = nodeDetails;
		this.paths = store.paths();
	}

	@GetMapping("/login")
	String login() {
		return "login";
	}

	@GetMapping("/")
	String matrix(@RequestParam(name = "group", required = false) List<String> groups,
			@RequestParam(name = "service", required = false) String service, Model model) {
		addMatrix(model, groups, service);
		return "matrix";
	}

	/**
	 * The matrix table alone, for the page's poll: 204 while the page has the latest version,
	 * so that an unchanged environment costs a few bytes every poll.
	 */
	@GetMapping("/matrix/table")
	Object matrixTable(@RequestParam(name = "group", required = false) List<String> groups,
			@RequestParam(name = "service", required = false) String service,
			@RequestParam(name = "v", required = false) Long version, Model model) {
		if (version != null && version == this.monitor.environment().version()) {
			return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
		}
		addMatrix(model, groups, service);
		return "matrix :: table";
	}

	private void addMatrix(Model model, List<String> groupFilter, String serviceFilter) {
		Environment environment = this.monitor.environment();
		Set<String> chosen = (groupFilter != null) ? groupFilter.stream()
			.filter((name) -> !name.isBlank())
			.collect(Collectors.toSet()) : Set.of();
		List<IsolationGroup> columns = environment.groups()
			.stream()
			.filter((group) -> chosen.isEmpty() || chosen.contains(group.name()))
			.toList();
		String needle = (serviceFilter != null) ? serviceFilter.strip().toLowerCase(Locale.ROOT) : "";
		List<String> rows = environment.services()
			.stream()
			.filter((service) -> needle.isEmpty() || service.toLowerCase(Locale.ROOT).contains(needle))
			.toList();
		model.addAttribute("env", environment);
		model.addAttribute("columns", columns);
		model.addAttribute("rows", rows);
		model.addAttribute("chosenGroups", chosen);
		model.addAttribute("serviceFilter", (serviceFilter != null) ? serviceFilter : "");
	}

	@GetMapping("/groups")
	String groups(Model model) {
		Environment environment = this.monitor.environment();
		List<GroupSummary> summaries = new ArrayList<>();
		for (IsolationGroup group : environment.groups()) {
			int instances = 0;
			int up = 0;
			Set<String> services = new TreeSet<>();
			for (String service : environment.services()) {
				for (InstanceState instance : environment.cell(service, group)) {
					instances++;
					up += instance.up() ? 1 : 0;
					services.add(service);
				}
			}
			long sources = environment.sourceBindings().values().stream().filter(group::equals).count();
			summaries.add(new GroupSummary(group, services.size(), instances, up, (int) sources));
		}
		model.addAttribute("env", environment);
		model.addAttribute("groups", summaries);
		return "groups";
	}

	@GetMapping("/groups/{group}")
	String group(@PathVariable("group") String name, Model model) {
		Environment environment = this.monitor.environment();
		Optional<IsolationGroup> parsed = IsolationGroup.parse(name);
		IsolationGroup group = parsed.orElse(null);
		Map<String, List<InstanceState>> services = new LinkedHashMap<>();
		List<String> paths = new ArrayList<>();
		Map<String, String> instancePaths = new LinkedHashMap<>();
		Map<String, String> sourcePaths = new LinkedHashMap<>();
		if (group != null) {
			for (String service : environment.services()) {
				List<InstanceState> cell = environment.cell(service, group);
				if (!cell.isEmpty()) {
					services.put(service, cell);
					for (InstanceState instance : cell) {
						if (instance.source() == GroupSource.SELF_BINDING || instance.source() == GroupSource.OPERATOR_BINDING) {
							String path = this.paths.instancePath(service,
									new InstanceAddress(instance.host(), instance.port()));
							paths.add(path);
							instancePaths.put(service + " " + instance.address(), path);
						}
					}
				}
			}
			environment.sourceBindings().forEach((address, bound) -> {
				if (bound.equals(group)) {
					String path = this.paths.sourcePath(address);
					sourcePaths.put(address, path);
					paths.add(path);
				}
			});
		}
		model.addAttribute("env", environment);
		model.addAttribute("groupName", name);
		model.addAttribute("group", group);
		model.addAttribute("services", services);
		model.addAttribute("sourcePaths", sourcePaths);
		Map<String, NodeDetails.Detail> details = this.nodeDetails.read(paths);
		Map<String, NodeDetails.Detail> instanceDetails = new LinkedHashMap<>();
		instancePaths.forEach((key, path) -> {
			if (details.containsKey(path)) {
				instanceDetails.put(key, details.get(path));
			}
		});
		model.addAttribute("details", details);
		model.addAttribute("instanceDetails", instanceDetails);
		return "group";
	}

	@GetMapping("/bindings")
	String bindings(@RequestParam(name = "service", required = false) String service,
			@RequestParam(name = "address", required = false) String address, Model model) {
		Environment environment = this.monitor.environment();
		List<InstanceState> bound = new ArrayList<>();
		for (String id : environment.services()) {
			for (List<InstanceState> cell : environment.cells().getOrDefault(id, Map.of()).values()) {
				for (InstanceState instance : cell) {
					if (instance.source() == GroupSource.OPERATOR_BINDING || instance.source() == GroupSource.SELF_BINDING) {
						bound.add(instance);
					}
				}
			}
		}
		model.addAttribute("env", environment);
		model.addAttribute("bound", bound);
		model.addAttribute("service", (service != null) ? service : "");
		model.addAttribute("address", (address != null) ? address : "");
		return "bindings";
	}

	@GetMapping("/route")
	String route(@RequestParam(name = "group", required = false) String group,
			@RequestParam(name = "failFast", required = false) String failFast,
			@RequestParam(name = "chain", required = false) String chain,
			@RequestParam(name = "entry", required = false) String entry, Model model) {
		Environment environment = this.monitor.environment();
		model.addAttribute("env", environment);
		model.addAttribute("groupValue", (group != null) ? group : "");
		model.addAttribute("failFastValue", (failFast != null) ? failFast : "");
		model.addAttribute("chainValue", (chain != null) ? chain : "");
		model.addAttribute("entryValue", (entry != null) ? entry : "");
		if (chain == null || chain.isBlank()) {
			return "route";
		}
		List<String> errors = new ArrayList<>();
		Optional<IsolationGroup> requestGroup = Optional.empty();
		if (group != null && !group.isBlank()) {
			requestGroup = IsolationGroup.parse(group.strip());
			if (requestGroup.isEmpty()) {
				errors.add("group: must be 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
			}
		}
		FailFastServices failFastServices = FailFastServices.NONE;
		if (failFast != null && !failFast.isBlank()) {
			List<String> rejected = new ArrayList<>();
			failFastServices = FailFastServices.parse(failFast, (rejection) -> rejected.add(rejection.toString()));
			if (!rejected.isEmpty()) {
				errors.add("fail-fast: a comma-separated list of service ids; rejected: " + String.join(", ", rejected));
			}
		}
		List<String> services = new ArrayList<>();
		for (String hop : chain.split("[,>\\s]+")) {
			if (!hop.isBlank()) {
				services.add(hop.strip());
			}
		}
		if (services.isEmpty()) {
			errors.add("chain: name at least one service, such as web, orders, inventory");
		}
		Optional<String> entryAddress = Optional.empty();
		if (entry != null && !entry.isBlank()) {
			try {
				entryAddress = Optional.of(InstanceAddress.parse(entry.strip()).toString());
			}
			catch (IllegalArgumentException ex) {
				errors.add("entry: " + ex.getMessage());
			}
		}
		if (!errors.isEmpty()) {
			model.addAttribute("errors", errors);
			return "route";
		}
		model.addAttribute("plan", this.planner.plan(requestGroup, failFastServices, services, entryAddress));
		return "route";
	}

	/**
	 * A row of the groups page.
	 */
	record GroupSummary(IsolationGroup group, int services, int instances, int up, int sources) {
	}

}
