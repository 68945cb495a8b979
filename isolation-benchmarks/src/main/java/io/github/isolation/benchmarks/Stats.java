package io.github.isolation.benchmarks;

import java.util.Arrays;

/** Percentiles over samples, by the nearest-rank method. */
public final class Stats {

	private Stats() {
	}

	/**
	 * The p-th percentile by nearest rank.
	 * @param samples the samples, not changed
	 * @param p the percentile, 0 to 100
	 * @return the value, or {@code NaN} for no samples
	 */
	public static double percentile(double[] samples, double p) {
		if (samples.length == 0) {
			return Double.NaN;
		}
		double[] sorted = samples.clone();
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(p / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	/**
	 * The median by nearest rank.
	 * @param samples the samples
	 * @return the median
	 */
	public static double median(double[] samples) {
		return percentile(samples, 50);
	}

	/**
	 * The smallest sample.
	 * @param samples the samples
	 * @return the minimum, or {@code NaN} for none
	 */
	public static double min(double[] samples) {
		return Arrays.stream(samples).min().orElse(Double.NaN);
	}

	/**
	 * The largest sample.
	 * @param samples the samples
	 * @return the maximum, or {@code NaN} for none
	 */
	public static double max(double[] samples) {
		return Arrays.stream(samples).max().orElse(Double.NaN);
	}

}
