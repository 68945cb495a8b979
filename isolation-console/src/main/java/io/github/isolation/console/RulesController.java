package io.github.isolation.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.github.isolation.core.rules.EdgeRule;
import io.github.isolation.core.rules.EdgeRules;
import io.github.isolation.core.rules.FixedRuleRequest;
import io.github.isolation.core.rules.RuleValidationException;
import io.github.isolation.zookeeper.BindingStoreException;
import io.github.isolation.zookeeper.EdgeRuleJson;
import io.github.isolation.zookeeper.EdgeRuleStore;
import io.github.isolation.zookeeper.EdgeRulesView;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Edge rules (DESIGN.md section 10): the list as the edges see it ({@link EdgeRulesView}),
 * nodes that hold no valid rule, and, for operators, create or replace from JSON (the
 * validation error names the field and the JSON stays in the form), enable, disable and
 * delete through {@link EdgeRuleStore}, each with an audit line. "Test a request" runs the
 * edges' own evaluator, {@link EdgeRules#evaluate}, on a request described in the form.
 */
@Controller
class RulesController {

	private final EdgeRulesView view;

	private final EdgeRuleStore store;

	private final AuditLog audit;

	RulesController(EdgeRulesView view, EdgeRuleStore store, AuditLog audit) {
		this.view = view;
		this.store = store;
		this.audit = audit;
	}

	@GetMapping("/rules")
	String rules(@RequestParam(name = "headers", required = false) String headers,
			@RequestParam(name = "cookies", required = false) String cookies,
			@RequestParam(name = "query", required = false) String query,
			@RequestParam(name = "path", required = false) String path,
			@RequestParam(name = "method", required = false) String method,
			@RequestParam(name = "source", required = false) String source, Model model) {
		EdgeRules rules = this.view.rules();
		Map<String, String> json = new LinkedHashMap<>();
		for (EdgeRule rule : rules.all()) {
			json.put(rule.id(), EdgeRuleJson.write(rule));
		}
		model.addAttribute("rules", rules.all());
		model.addAttribute("json", json);
		model.addAttribute("invalid", this.view.invalid());
		model.addAttribute("headers", (headers != null) ? headers : "");
		model.addAttribute("cookies", (cookies != null) ? cookies : "");
		model.addAttribute("query", (query != null) ? query : "");
		model.addAttribute("path", (path != null) ? path : "/");
		model.addAttribute("method", (method != null) ? method : "GET");
		model.addAttribute("source", (source != null) ? source : "");
		if (path != null) {
			EdgeRule matched = rules.evaluate(formRequest(headers, cookies, query, path, method, source));
			model.addAttribute("tested", true);
			model.addAttribute("matched", matched);
		}
		return "rules";
	}

	@PostMapping("/rules")
	String put(@RequestParam("json") String json, Authentication user, RedirectAttributes redirect) {
		Optional<EdgeRule> before = Optional.empty();
		try {
			EdgeRule rule = EdgeRuleJson.read(json);
			before = this.store.get(rule.id());
			this.store.put(rule);
			this.audit.write(user.getName(), "put-rule", rule.id(), before.map(EdgeRuleJson::write).orElse(null),
					EdgeRuleJson.write(rule), "ok");
			redirect.addFlashAttribute("message", "Saved rule " + rule.id());
		}
		catch (RuleValidationException ex) {
			this.audit.write(user.getName(), "put-rule", "(invalid)", null, null, ex.getMessage());
			redirect.addFlashAttribute("error", ex.getMessage());
			redirect.addFlashAttribute("draft", json);
		}
		catch (BindingStoreException ex) {
			this.audit.write(user.getName(), "put-rule", "(unknown)", null, null, ex.getMessage());
			redirect.addFlashAttribute("error", ex.getMessage());
			redirect.addFlashAttribute("draft", json);
		}
		return "redirect:/rules";
	}

	@PostMapping("/rules/{id}/enabled")
	String enable(@PathVariable("id") String id, @RequestParam("enabled") boolean enabled, Authentication user,
			RedirectAttributes redirect) {
		try {
			Optional<EdgeRule> changed = this.store.setEnabled(id, enabled);
			this.audit.write(user.getName(), enabled ? "enable-rule" : "disable-rule", id,
					changed.map((rule) -> String.valueOf(!enabled)).orElse(null),
					changed.map((rule) -> String.valueOf(enabled)).orElse(null), changed.isPresent() ? "ok" : "no such rule");
			redirect.addFlashAttribute(changed.isPresent() ? "message" : "error",
					changed.isPresent() ? (enabled ? "Enabled " : "Disabled ") + id : "id: no rule " + id);
		}
		catch (RuleValidationException | BindingStoreException ex) {
			this.audit.write(user.getName(), enabled ? "enable-rule" : "disable-rule", id, null, null, ex.getMessage());
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/rules";
	}

	@PostMapping("/rules/{id}/delete")
	String delete(@PathVariable("id") String id, Authentication user, RedirectAttributes redirect) {
		try {
			Optional<EdgeRule> before = this.store.get(id);
			boolean deleted = this.store.delete(id);
			this.audit.write(user.getName(), "delete-rule", id, before.map(EdgeRuleJson::write).orElse(null), null,
					deleted ? "ok" : "no such rule");
			redirect.addFlashAttribute(deleted ? "message" : "error", deleted ? "Deleted " + id : "id: no rule " + id);
		}
		catch (RuleValidationException | BindingStoreException ex) {
			this.audit.write(user.getName(), "delete-rule", id, null, null, ex.getMessage());
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/rules";
	}

	/** A request described in the test form: headers and cookies a line each, a query string. */
	private static FixedRuleRequest formRequest(String headers, String cookies, String query, String path,
			String method, String source) {
		Map<String, String> headerValues = new LinkedHashMap<>();
		for (String line : lines(headers)) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				headerValues.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
						line.substring(colon + 1).strip());
			}
		}
		Map<String, String> cookieValues = new LinkedHashMap<>();
		for (String line : lines(cookies)) {
			int equals = line.indexOf('=');
			if (equals > 0) {
				cookieValues.putIfAbsent(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
			}
		}
		Map<String, String> queryValues = new LinkedHashMap<>();
		if (query != null) {
			for (String pair : query.replaceFirst("^\\?", "").split("&")) {
				if (!pair.isEmpty()) {
					int equals = pair.indexOf('=');
					String name = (equals >= 0) ? pair.substring(0, equals) : pair;
					String value = (equals >= 0) ? pair.substring(equals + 1) : "";
					queryValues.putIfAbsent(decode(name), decode(value));
				}
			}
		}
		return new FixedRuleRequest(headerValues, cookieValues, queryValues,
				(path != null && !path.isBlank()) ? path.strip() : "/",
				(method != null && !method.isBlank()) ? method.strip().toUpperCase(Locale.ROOT) : "GET",
				(source != null && !source.isBlank()) ? source.strip() : null);
	}

	private static List<String> lines(String text) {
		return (text != null) ? text.lines().map(String::strip).filter((line) -> !line.isEmpty()).toList() : List.of();
	}

	private static String decode(String value) {
		try {
			return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return value;
		}
	}

}
