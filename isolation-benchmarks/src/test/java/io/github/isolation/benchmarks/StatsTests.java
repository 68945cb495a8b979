package io.github.isolation.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatsTests {

	@Test
	void shouldTakePercentilesByNearestRank() {
		// given
		double[] samples = new double[100];
		for (int i = 0; i < samples.length; i++) {
			samples[i] = 100 - i;
		}

		// when, then
		assertThat(Stats.percentile(samples, 50)).isEqualTo(50);
		assertThat(Stats.percentile(samples, 99)).isEqualTo(99);
		assertThat(Stats.percentile(samples, 100)).isEqualTo(100);
		assertThat(Stats.median(new double[] { 3, 1, 2 })).isEqualTo(2);
		assertThat(Stats.percentile(new double[0], 50)).isNaN();
		assertThat(samples[0]).as("input left unsorted").isEqualTo(100);
	}

}
