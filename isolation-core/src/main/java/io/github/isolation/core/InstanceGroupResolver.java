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
	 * The group of an instance that is likely to be in a given one, such as the group of the
	 * instance at the same position of the list before. {@link IndexedRouter} asks this for
	 * lists of new instance objects, once per instance and call, so a resolver can make it
	 * cheaper than {@link #groupOf(Object)} where the guess is right: say, by comparing a
	 * value with the name of the likely group instead of parsing it.
	 * @param instance the instance
	 * @param likely the group it is probably in
	 * @return its group, as {@link #groupOf(Object)} answers it; the default asks that
	 * @since 0.1.0
	 */
	default IsolationGroup groupOf(T instance, IsolationGroup likely) {
		return groupOf(instance);
	}

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

	/**
	 * The {@link #generation()} for the instances of one service: a number that changes every
	 * time {@link #groupOf} may answer differently for an instance of that service, such as
	 * when that service's bindings change ({@link GroupBindings#generation(String)}).
	 * {@link IndexedRouter} asks this one, with the service id it routes, so that a change for
	 * one service leaves what it keeps for the others in place.
	 * @param serviceId the service whose instances are asked about; its instances carry the
	 * same service id, in a spelling the resolver folds to the same service
	 * @return the generation for that service; the default is {@link #generation()}, correct
	 * for any resolver, only coarser
	 * @since 0.1.0
	 */
	default long generation(String serviceId) {
		return generation();
	}

	/**
	 * Whether an instance is known to be running in a group by a sign of its own, apart from
	 * discovery: a binding that the instance holds itself and that goes when it stops (in
	 * ZooKeeper, an ephemeral node of its session). {@link IndexedRouter} asks it only for an
	 * instance of a group that it saw in an earlier list and that the current list lacks: while
	 * the answer is {@code true}, that group's calls keep going to the instance instead of
	 * falling back to stable the moment discovery happens not to list it.
	 * @param instance an instance seen in an earlier list of its service
	 * @param group the group it was in then
	 * @return {@code true} if it is running in that group now; the default, {@code false},
	 * knows of no such sign
	 * @since 0.1.0
	 */
	default boolean isRunningIn(T instance, IsolationGroup group) {
		return false;
	}

}
