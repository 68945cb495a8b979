package io.github.isolation.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import io.github.isolation.autoconfigure.IsolationServiceInstanceListSupplierTests.MapGroupBindings;
import io.github.isolation.core.GroupBindings;
import io.github.isolation.core.IsolationGroup;
import io.github.isolation.core.IsolationTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ServiceInstanceGroupResolverTests {

	private static final String SERVICE = "inventory";

	private static final IsolationGroup FEATURE_X = IsolationGroup.of("feature-x");

	private static final IsolationGroup FEATURE_Y = IsolationGroup.of("feature-y");

	@Test
	void shouldGiveTheSameGroupWhateverGroupItIsToldIsLikely() {
		// given
		ServiceInstanceGroupResolver resolver = new ServiceInstanceGroupResolver(GroupBindings.NONE);
		ServiceInstance featureX = instance("10.0.0.1", "feature-x");
		ServiceInstance padded = instance("10.0.0.2", " feature-x ");
		ServiceInstance untagged = instance("10.0.0.3", null);

		// when, then
		for (IsolationGroup likely : new IsolationGroup[] { null, FEATURE_X, FEATURE_Y, IsolationGroup.STABLE }) {
			assertThat(resolver.groupOf(featureX, likely)).as("likely %s", likely).isEqualTo(FEATURE_X);
			assertThat(resolver.groupOf(padded, likely)).as("likely %s", likely).isEqualTo(FEATURE_X);
			assertThat(resolver.groupOf(untagged, likely)).as("likely %s", likely).isEqualTo(IsolationGroup.STABLE);
		}
		assertThat(resolver.groupOf(featureX)).isEqualTo(FEATURE_X);
	}

	@Test
	void shouldGiveOneObjectForAGroupNamedByMetadataValuesOfManyInstances() {
		// given
		ServiceInstanceGroupResolver resolver = new ServiceInstanceGroupResolver(GroupBindings.NONE);

		// when
		IsolationGroup first = resolver.groupOf(instance("10.0.0.1", new String("feature-x")));
		IsolationGroup second = resolver.groupOf(instance("10.0.0.2", new String("feature-x")));
		IsolationGroup padded = resolver.groupOf(instance("10.0.0.3", "feature-x\t"));

		// then
		assertThat(second).isSameAs(first);
		assertThat(padded).isSameAs(first);
	}

	@Test
	void shouldLetABindingWinOverTheMetadataAndTheLikelyGroup() {
		// given
		MapGroupBindings bindings = new MapGroupBindings();
		bindings.bind(SERVICE, "10.0.0.1", 8080, FEATURE_Y);
		ServiceInstanceGroupResolver resolver = new ServiceInstanceGroupResolver(bindings);
		ServiceInstance bound = instance("10.0.0.1", "feature-x");

		// when, then
		assertThat(resolver.groupOf(bound)).isEqualTo(FEATURE_Y);
		assertThat(resolver.groupOf(bound, FEATURE_X)).isEqualTo(FEATURE_Y);
		assertThat(resolver.groupOf(instance("10.0.0.2", "feature-x"), FEATURE_X)).isEqualTo(FEATURE_X);
	}

	@Test
	void shouldTreatAMalformedValueAsStableEveryTimeAndWarnOncePerInstance(CapturedOutput output) {
		// given
		ServiceInstanceGroupResolver resolver = new ServiceInstanceGroupResolver(GroupBindings.NONE);
		ServiceInstance first = instance("10.0.0.1", "Feature X");
		ServiceInstance second = instance("10.0.0.2", "Feature X");

		// when
		for (int i = 0; i < 3; i++) {
			assertThat(resolver.groupOf(first)).isEqualTo(IsolationGroup.STABLE);
			assertThat(resolver.groupOf(first, FEATURE_X)).isEqualTo(IsolationGroup.STABLE);
			assertThat(resolver.groupOf(second)).isEqualTo(IsolationGroup.STABLE);
		}

		// then
		assertThat(output.getAll().split("has a malformed", -1)).hasSize(3);
		assertThat(output).contains("'inventory@10.0.0.1:8080'").contains("'inventory@10.0.0.2:8080'");
	}

	private static ServiceInstance instance(String host, String group) {
		Map<String, String> metadata = new HashMap<>();
		if (group != null) {
			metadata.put(IsolationTags.METADATA_GROUP, group);
		}
		return new DefaultServiceInstance(host, SERVICE, host, 8080, false, metadata);
	}

}
