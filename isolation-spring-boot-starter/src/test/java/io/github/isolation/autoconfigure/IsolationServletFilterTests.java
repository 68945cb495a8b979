package io.github.isolation.autoconfigure;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.micrometer.tracing.BaggageInScope;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IsolationServletFilter} on real Brave baggage.
 */
class IsolationServletFilterTests {

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	private final BraveBaggage brave = new BraveBaggage();

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/items");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	private final BaggageCapturingServlet servlet = new BaggageCapturingServlet();

	@AfterEach
	void closeTracing() {
		this.brave.close();
	}

	@Test
	void shouldPutTheSingleHeadersIntoBaggageForTheChainAndRemoveThemAfter() {
		// given
		LocalGroup localGroup = () -> IsolationGroup.STABLE;
		this.request.addHeader(IsolationTags.GROUP, "feature-x");
		this.request.addHeader(IsolationTags.FAIL_FAST, "inventory");

		// when
		Map<String, String> after = this.brave.inSpan(() -> {
			filter(localGroup);
			return baggageNow();
		});

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, "feature-x")
			.containsEntry(IsolationTags.FAIL_FAST, "inventory");
		assertThat(this.servlet.tag).isEqualTo(new IsolationTag(IsolationGroup.of("feature-x"),
				FailFastServices.of(List.of("inventory"))));
		assertThat(after).containsEntry(IsolationTags.GROUP, null).containsEntry(IsolationTags.FAIL_FAST, null);
	}

	@Test
	void shouldReadTheEntriesOfAW3cBaggageHeader() {
		// given
		LocalGroup localGroup = () -> IsolationGroup.STABLE;
		this.request.addHeader("baggage", "user-id=42;prop=1");
		this.request.addHeader("baggage", "isolation-group=feature-x, isolation-fail-fast=inventory%2Cbilling");

		// when
		this.brave.inSpan(() -> filter(localGroup));

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, "feature-x");
		assertThat(FailFastServices.parse(this.servlet.baggage.get(IsolationTags.FAIL_FAST), (rejection) -> {
		})).isEqualTo(FailFastServices.of(List.of("inventory", "billing")));
	}

	@Test
	void shouldPreferTheSingleHeaderOverTheW3cEntry() {
		// given
		LocalGroup localGroup = () -> IsolationGroup.STABLE;
		this.request.addHeader(IsolationTags.GROUP, "feature-x");
		this.request.addHeader(IsolationTags.FAIL_FAST, "inventory");
		this.request.addHeader("baggage", "isolation-group=feature-y,isolation-fail-fast=billing");

		// when
		this.brave.inSpan(() -> filter(localGroup));

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, "feature-x")
			.containsEntry(IsolationTags.FAIL_FAST, "inventory");
	}

	@Test
	void shouldReadTheW3cEntryWhenTheSingleHeaderIsMalformed() {
		// given
		LocalGroup localGroup = () -> FEATURE_Y;
		this.request.addHeader(IsolationTags.GROUP, "Feature X");
		this.request.addHeader("baggage", "isolation-group=feature-x");

		// when
		this.brave.inSpan(() -> filter(localGroup));

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, "feature-x");
	}

	@Test
	void shouldKeepBaggageThatIsAlreadyCurrentWhenTheRequestCarriesNoTag() {
		// given: baggage made current before this filter runs (by tracing or an earlier filter)
		LocalGroup localGroup = () -> IsolationGroup.of("local");

		// when
		Map<String, String> after = this.brave.inSpan(() -> {
			try (BaggageInScope group = this.brave.tracer().createBaggageInScope(IsolationTags.GROUP, "feature-y");
					BaggageInScope failFast = this.brave.tracer()
						.createBaggageInScope(IsolationTags.FAIL_FAST, "billing")) {
				filter(localGroup);
				return baggageNow();
			}
		});

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, "feature-y")
			.containsEntry(IsolationTags.FAIL_FAST, "billing");
		assertThat(after).containsEntry(IsolationTags.GROUP, "feature-y")
			.containsEntry(IsolationTags.FAIL_FAST, "billing");
	}

	@Test
	void shouldKeepTheSameTagThatTracingAlreadyExtractedAfterTheChain() {
		// given: a request whose headers tracing propagation has already put into baggage
		LocalGroup localGroup = () -> IsolationGroup.STABLE;
		this.request.addHeader(IsolationTags.GROUP, "feature-x");
		this.request.addHeader(IsolationTags.FAIL_FAST, "inventory");
		Map<String, String> received = Map.of(IsolationTags.GROUP, "feature-x", IsolationTags.FAIL_FAST, "inventory");

		// when
		Map<String, String> after = this.brave.inSpanReceivedWith(received, () -> {
			filter(localGroup);
			return baggageNow();
		});

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, "feature-x")
			.containsEntry(IsolationTags.FAIL_FAST, "inventory");
		assertThat(after).containsEntry(IsolationTags.GROUP, "feature-x")
			.containsEntry(IsolationTags.FAIL_FAST, "inventory");
	}

	@Test
	void shouldIgnoreMalformedHeaders() {
		// given
		LocalGroup localGroup = () -> IsolationGroup.STABLE;
		this.request.addHeader(IsolationTags.GROUP, "Feature X!\r\nX-Injected: 1");
		this.request.addHeader(IsolationTags.FAIL_FAST, "x".repeat(FailFastServices.MAX_VALUE_LENGTH + 1));

		// when
		this.brave.inSpan(() -> filter(localGroup));

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, null)
			.containsEntry(IsolationTags.FAIL_FAST, null);
		assertThat(this.servlet.tag).isSameAs(IsolationTag.UNTAGGED);
		assertThat(this.response.getStatus()).isEqualTo(200);
	}

	@Test
	void shouldIgnoreAMalformedW3cBaggageEntry() {
		// given
		LocalGroup localGroup = () -> IsolationGroup.STABLE;
		this.request.addHeader("baggage", "isolation-group=feature%ZZ,isolation-fail-fast=%E2%82");

		// when
		this.brave.inSpan(() -> filter(localGroup));

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, null)
			.containsEntry(IsolationTags.FAIL_FAST, null);
	}

	@Test
	void shouldApplyTheLocalNonStableGroupToAnUntaggedRequest() {
		// given
		LocalGroup localGroup = () -> FEATURE_Y;

		// when
		Map<String, String> after = this.brave.inSpan(() -> {
			filter(localGroup);
			return baggageNow();
		});

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, "feature-y")
			.containsEntry(IsolationTags.FAIL_FAST, null);
		assertThat(after).containsEntry(IsolationTags.GROUP, null);
	}

	@Test
	void shouldApplyTheLocalNonStableGroupWhenTheHeaderIsMalformed() {
		// given
		LocalGroup localGroup = () -> FEATURE_Y;
		this.request.addHeader(IsolationTags.GROUP, "-feature-x");

		// when
		this.brave.inSpan(() -> filter(localGroup));

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, "feature-y");
	}

	@Test
	void shouldPreferTheRequestsGroupOverTheLocalGroup() {
		// given
		LocalGroup localGroup = () -> FEATURE_Y;
		this.request.addHeader(IsolationTags.GROUP, "feature-x");

		// when
		this.brave.inSpan(() -> filter(localGroup));

		// then
		assertThat(this.servlet.baggage).containsEntry(IsolationTags.GROUP, "feature-x");
	}

	@Test
	void shouldKeepAStableGroupThatTracingAlreadyExtractedOverTheLocalGroup() {
		// given: the same tag as below, in the form that this bridge's propagation extracts
		LocalGroup localGroup = () -> FEATURE_Y;

		// when
		this.brave.inSpanReceivedWith(Map.of(IsolationTags.GROUP, "stable"), () -> filter(localGroup));

		// then
		assertThat(this.servlet.tag.group()).isEqualTo(IsolationGroup.STABLE);
	}

	@Test
	void shouldKeepAnExplicitStableGroupFromTheRequestOverTheLocalGroup() {
		// given: a W3C baggage header that this bridge's propagation did not extract, so only the
		// filter sees it (as BaggageIsolationContext lets a stable tag in baggage win, so must this)
		LocalGroup localGroup = () -> FEATURE_Y;
		this.request.addHeader("baggage", "isolation-group=stable");

		// when
		this.brave.inSpan(() -> filter(localGroup));

		// then
		assertThat(this.servlet.tag.group()).isEqualTo(IsolationGroup.STABLE);
	}

	@Test
	void shouldPassTheRequestOnWithoutACurrentSpan() {
		// given
		LocalGroup localGroup = () -> FEATURE_Y;
		this.request.addHeader(IsolationTags.GROUP, "feature-x");

		// when
		filter(localGroup);

		// then
		assertThat(this.servlet.invoked).isTrue();
	}

	// Runs a request through the filter to the servlet, which reads the tag as the starter's
	// clients do, with the same local group.
	private Void filter(LocalGroup localGroup) {
		IsolationServletFilter filter = new IsolationServletFilter(this.brave.tracer(), localGroup, RoutingListeners.NONE);
		this.servlet.context = new BaggageIsolationContext(this.brave.tracer(), localGroup);
		try {
			filter.doFilter(this.request, this.response, new MockFilterChain(this.servlet));
		}
		catch (IOException | ServletException ex) {
			throw new IllegalStateException(ex);
		}
		return null;
	}

	private Map<String, String> baggageNow() {
		Map<String, String> baggage = new HashMap<>();
		baggage.put(IsolationTags.GROUP, this.brave.current(IsolationTags.GROUP));
		baggage.put(IsolationTags.FAIL_FAST, this.brave.current(IsolationTags.FAIL_FAST));
		return baggage;
	}

	/** The application behind the filter: notes the baggage and the tag it sees. */
	final class BaggageCapturingServlet extends HttpServlet {

		private static final long serialVersionUID = 1L;

		transient BaggageIsolationContext context;

		transient Map<String, String> baggage;

		transient IsolationTag tag;

		boolean invoked;

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response) {
			this.invoked = true;
			this.baggage = baggageNow();
			this.tag = this.context.current();
		}

	}

}
