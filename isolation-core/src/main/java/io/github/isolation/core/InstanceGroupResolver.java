package io.github.isolation.core;

/**
 * Tells which isolation group an instance belongs to.
 *
 * @param <T> the instance type, such as Spring Cloud's {@code ServiceInstance}
 * @since 0.1.0
 */
@FunctionalInterface
public interface InstanceGroupResolver<T> {

	/**
	 * The group of an instance.
	 * @param instance the instance
	 * @return its group, never {@code null}: {@link IsolationGroup#STABLE} when nothing says otherwise
	 */
	IsolationGroup groupOf(T instance);

	/**
	 * A number that changes every time {@link #groupOf} may answer differently for an instance
	 * it has answered for before, such as when bindings kept outside the instances change
	 * ({@link GroupBindings#generation()}). {@link IndexedRouter} keeps the groups of a list of
	 * instances for as long as this number stays the same, so a resolver whose answers can
	 * change must change it; it is read before the answers that are kept.
	 * @return the generation; the default, {@code 0}, says the group of an instance never changes
	 * @since 0.1.0
	 */
	default long generation() {
		return 0;
	}

}
