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

}
