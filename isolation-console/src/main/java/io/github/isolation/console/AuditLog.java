package io.github.isolation.console;

import io.github.isolation.core.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per write, on the logger {@code io.github.isolation.console.audit}: who, what,
 * before and after. Values are quoted with {@link LogSafe#quote}, so a hostile value can
 * neither forge a line nor grow it without bound.
 *
 * @since 0.1.0
 */
public class AuditLog {

	private static final Logger logger = LoggerFactory.getLogger("io.github.isolation.console.audit");

	/**
	 * Logs a write.
	 * @param user who wrote
	 * @param action what, such as {@code bind}
	 * @param target the binding's target, such as {@code web 127.0.0.1:8080}
	 * @param before the group before, {@code null} for none
	 * @param after the group after, {@code null} for none
	 * @param outcome {@code ok}, or why it failed
	 */
	public void write(String user, String action, String target, Object before, Object after, String outcome) {
		logger.info("user={} action={} target={} before={} after={} outcome={}", LogSafe.quote(user), action,
				LogSafe.quote(target), (before != null) ? LogSafe.quote(before.toString()) : "none",
				(after != null) ? LogSafe.quote(after.toString()) : "none", LogSafe.quote(outcome));
	}

}
