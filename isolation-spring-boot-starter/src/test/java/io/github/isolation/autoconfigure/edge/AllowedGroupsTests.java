package io.github.isolation.autoconfigure.edge;

import java.util.List;

import io.github.isolation.core.IsolationGroup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AllowedGroupsTests {

	@Test
	void shouldAllowEveryGroupWhenEmpty() {
		assertThat(AllowedGroups.of(List.of()).allows(IsolationGroup.of("anything"))).isTrue();
	}

	@Test
	void shouldAllowNamesAndPatternsOnly() {
		AllowedGroups allowed = AllowedGroups.of(List.of("feature-*", "hotfix-1", "*-qa", "team.*.dev"));

		assertThat(allowed.allows(IsolationGroup.of("feature-x"))).isTrue();
		assertThat(allowed.allows(IsolationGroup.of("feature-"))).isTrue();
		assertThat(allowed.allows(IsolationGroup.of("hotfix-1"))).isTrue();
		assertThat(allowed.allows(IsolationGroup.of("payments-qa"))).isTrue();
		assertThat(allowed.allows(IsolationGroup.of("team.a.dev"))).isTrue();
		assertThat(allowed.allows(IsolationGroup.of("hotfix-2"))).isFalse();
		assertThat(allowed.allows(IsolationGroup.of("my-feature-x"))).isFalse();
		assertThat(allowed.allows(IsolationGroup.STABLE)).isFalse();
	}

	@Test
	void shouldRefuseAPatternThatCannotMatchAGroupName() {
		for (String pattern : new String[] { "Feature-*", "feature x", "", "-x*", "?" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> AllowedGroups.of(List.of(pattern)))
				.withMessageContaining("but was '" + pattern + "'");
		}
	}

}
