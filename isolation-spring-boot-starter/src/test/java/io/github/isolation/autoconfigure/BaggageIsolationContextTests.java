package io.github.isolation.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.isolation.core.FailFastServices;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BaggageIsolationContext} on real Brave baggage.
 */
class BaggageIsolationContextTests {

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	private final BraveBaggage brave = new BraveBaggage();

	@AfterEach
	void closeTracing() {
		this.brave.close();
	}

	@Test
	void shouldReadTheGroupAndTheFailFastServicesFromBaggage() {
		// given
		BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(), () -> FEATURE_Y);

		// when
		IsolationTag tag = this.brave.inSpan(() -> {
			try (BaggageInScope group = this.brave.tracer().createBaggageInScope(IsolationTags.GROUP, "feature-x");
					BaggageInScope failFast = this.brave.tracer()
						.createBaggageInScope(IsolationTags.FAIL_FAST, "inventory, Billing")) {
				return context.current();
			}
		});

		// then
		assertThat(tag).isEqualTo(new IsolationTag(FEATURE_X, FailFastServices.of(List.of("inventory", "billing"))));
	}

	@Test
	void shouldReadTheTagOfARequestReceivedWithIsolationHeaders() {
		// given
		BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(), () -> IsolationGroup.STABLE);
		Map<String, String> headers = Map.of(IsolationTags.GROUP, "feature-x", IsolationTags.FAIL_FAST, "inventory");

		// when
		IsolationTag tag = this.brave.inSpanReceivedWith(headers, context::current);

		// then
		assertThat(tag).isEqualTo(new IsolationTag(FEATURE_X, FailFastServices.of(List.of("inventory"))));
	}

	@Test
	void shouldIgnoreAMalformedGroupInBaggageAndUseTheLocalGroup() {
		// given
		BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(), () -> FEATURE_Y);

		// when
		IsolationTag tag = this.brave.inSpanWithBaggage(IsolationTags.GROUP, "Feature X!\n", context::current);

		// then
		assertThat(tag).isEqualTo(new IsolationTag(FEATURE_Y, FailFastServices.NONE));
	}

	@Test
	void shouldTreatAMalformedGroupInBaggageAsUntaggedOnAStableInstance() {
		// given
		BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(), () -> IsolationGroup.STABLE);

		// when
		IsolationTag tag = this.brave.inSpanWithBaggage(IsolationTags.GROUP, "x".repeat(200), context::current);

		// then
		assertThat(tag).isEqualTo(IsolationTag.UNTAGGED);
	}

	@Test
	void shouldDropMalformedFailFastEntriesAndKeepTheValidOnes() {
		// given
		BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(), () -> IsolationGroup.STABLE);

		// when
		IsolationTag tag = this.brave.inSpanWithBaggage(IsolationTags.FAIL_FAST, "inventory,bad id!,%0d",
				context::current);

		// then
		assertThat(tag).isEqualTo(new IsolationTag(IsolationGroup.STABLE, FailFastServices.of(List.of("inventory"))));
		assertThat(tag.isPropagated()).isTrue();
	}

	@Test
	void shouldUseTheLocalGroupForAnUntaggedRequest() {
		// given
		BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(), () -> FEATURE_Y);

		// when
		IsolationTag tag = this.brave.inSpan(context::current);

		// then
		assertThat(tag).isEqualTo(new IsolationTag(FEATURE_Y, FailFastServices.NONE));
	}

	@Test
	void shouldBeUntaggedForAnUntaggedRequestOnAStableInstance() {
		// given
		BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(), () -> IsolationGroup.STABLE);

		// when
		IsolationTag tag = this.brave.inSpan(context::current);

		// then
		assertThat(tag).isSameAs(IsolationTag.UNTAGGED);
		assertThat(tag.isPropagated()).isFalse();
	}

	@Test
	void shouldUseTheLocalGroupWhenNoSpanIsCurrent() {
		// given
		BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(), () -> FEATURE_Y);
		BaggageIsolationContext withoutTracing = new BaggageIsolationContext(Tracer.NOOP, () -> FEATURE_Y);

		// when
		IsolationTag tag = context.current();
		IsolationTag noopTag = withoutTracing.current();

		// then
		assertThat(tag).isEqualTo(new IsolationTag(FEATURE_Y, FailFastServices.NONE));
		assertThat(noopTag).isEqualTo(new IsolationTag(FEATURE_Y, FailFastServices.NONE));
	}

	@Test
	void shouldLetAStableTagWinOverANonStableLocalGroup() {
		// given
		BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(), () -> FEATURE_Y);

		// when
		IsolationTag tag = this.brave.inSpanWithBaggage(IsolationTags.GROUP, "stable", context::current);

		// then
		assertThat(tag.group()).isEqualTo(IsolationGroup.STABLE);
	}

	@Test
	void shouldFollowTheLocalGroupWhenItChanges() {
		// given
		AtomicReference<IsolationGroup> localGroup = new AtomicReference<>(FEATURE_X);
		BaggageIsolationContext context = new BaggageIsolationContext(this.brave.tracer(), localGroup::get);
		IsolationTag before = this.brave.inSpan(context::current);

		// when
		localGroup.set(IsolationGroup.STABLE);

		// then
		assertThat(before.group()).isEqualTo(FEATURE_X);
		assertThat(this.brave.inSpan(context::current)).isSameAs(IsolationTag.UNTAGGED);
	}

}
