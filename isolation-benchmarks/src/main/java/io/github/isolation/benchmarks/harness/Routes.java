package io.github.isolation.benchmarks.harness;

/**
 * What the rule says each harness request must take, and how a reply is judged against it.
 */
final class Routes {

	/** The group tagged requests carry. */
	static final String GROUP = "feature-x";

	/** Untagged: stable everywhere. */
	static final String UNTAGGED = "a@stable > b@stable > c@stable";

	/** Tagged: {@code b} has no {@code feature-x} instance and falls back, {@code c} has one. */
	static final String TAGGED = "a@stable > b@stable > c@feature-x";

	/** How a reply turned out. */
	enum Outcome {

		/** 200 with the route the rule prescribes (or any route, when routes are not checked). */
		OK,

		/** Not 200, or no reply at all. */
		FAILED,

		/** 200, but through another route than the rule prescribes. */
		MISROUTED

	}

	private Routes() {
	}

	/**
	 * Judges a reply.
	 * @param tagged whether the request carried {@link #GROUP}
	 * @param status the HTTP status, or -1 for no reply
	 * @param body the body, may be {@code null}
	 * @param checkRoute whether the route is checked (isolation on) or any route is fine (off)
	 * @return the outcome
	 */
	static Outcome judge(boolean tagged, int status, String body, boolean checkRoute) {
		if (status != 200 || body == null) {
			return Outcome.FAILED;
		}
		if (!checkRoute) {
			return Outcome.OK;
		}
		return body.equals(tagged ? TAGGED : UNTAGGED) ? Outcome.OK : Outcome.MISROUTED;
	}

}
