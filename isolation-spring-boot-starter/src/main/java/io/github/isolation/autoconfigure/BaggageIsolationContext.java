package io.github.isolation.autoconfigure;

import io.github.isolation.autoconfigure.task.TaskBaggage;
import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.github.isolation.core.LogSafe;
import io.micrometer.tracing.BaggageManager;
import io.micrometer.tracing.BaggageView;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The tag of the current request, read from the tracing baggage fields
 * {@value IsolationTags#GROUP} and {@value IsolationTags#FAIL_FAST} (in a task, falling back to
 * the baggage its submitter had: see {@link TaskBaggage}); when the request carries no valid
 * group, the group of this instance. A malformed value from the network counts as absent
 * and never fails the request.
 *
 * @since 0.1.0
 */
public class BaggageIsolationContext implements IsolationContext {

	private static final Log logger = LogFactory.getLog(BaggageIsolationContext.class);

	private final BaggageManager baggage;

	private final LocalGroup localGroup;

	/**
	 * Creates a context on the given baggage.
	 * @param baggage the tracing baggage, usually the application's {@code Tracer}
	 * @param localGroup the group of this instance
	 */
	public BaggageIsolationContext(BaggageManager baggage, LocalGroup localGroup) {
		this.baggage = baggage;
		this.localGroup = localGroup;
	}

	@Override
	public IsolationTag current() {
		String rawGroup = read(IsolationTags.GROUP);
		String rawFailFast = read(IsolationTags.FAIL_FAST);
		if (rawGroup == null || rawFailFast == null) {
			// In a task, also the baggage its submitter had: the submitting request may have ended.
			// One thread-local read, and only for a field the live baggage lacks.
			TaskBaggage submitted = TaskBaggage.current();
			if (submitted != null) {
				rawGroup = (rawGroup != null) ? rawGroup : submitted.group();
				rawFailFast = (rawFailFast != null) ? rawFailFast : submitted.failFast();
			}
		}
		IsolationGroup group = IsolationGroup.parse(rawGroup).orElse(null);
		if (group == null) {
			if (rawGroup != null && logger.isDebugEnabled()) {
				logger.debug("Ignoring malformed " + IsolationTags.GROUP + " " + LogSafe.quote(rawGroup));
			}
			group = this.localGroup.current();
		}
		FailFastServices failFast = FailFastServices.parse(rawFailFast, (rejection) -> {
		});
		if (group.isStable() && failFast.isEmpty()) {
			return IsolationTag.UNTAGGED;
		}
		return new IsolationTag(group, failFast);
	}

	private String read(String field) {
		BaggageView view = this.baggage.getBaggage(field);
		return (view != null) ? view.get() : null;
	}

}
