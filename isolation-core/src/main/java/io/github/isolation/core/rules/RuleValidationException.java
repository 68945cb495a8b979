package io.github.isolation.core.rules;

/**
 * An edge rule that is not valid, naming the one field that is wrong:
 * {@code "match.all[0].op must be one of exact, in, prefix, regex, cidr, present, but was 'x'"}.
 *
 * @since 0.1.0
 */
public class RuleValidationException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String field;

	private final String problem;

	/**
	 * Creates the exception.
	 * @param field the path of the field, such as {@code split.percent}
	 * @param problem what is wrong with it, such as {@code must be 0 to 100, but was 120}
	 */
	public RuleValidationException(String field, String problem) {
		super(field + " " + problem);
		this.field = field;
		this.problem = problem;
	}

	/**
	 * The path of the field that is wrong.
	 * @return the path, such as {@code match.all[0].op}
	 */
	public String field() {
		return this.field;
	}

	/**
	 * What is wrong with the field, without its name.
	 * @return the problem
	 */
	public String problem() {
		return this.problem;
	}

	/**
	 * The same problem, for a field inside another.
	 * @param parent the path of the enclosing field, such as {@code match.all[0]}
	 * @return the exception for {@code parent.field}
	 */
	RuleValidationException within(String parent) {
		return new RuleValidationException(parent + "." + this.field, this.problem);
	}

}
