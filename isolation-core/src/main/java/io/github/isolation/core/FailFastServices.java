package io.github.isolation.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The services for which a request must not fall back to {@code stable}: when the request's
 * group has no instance of such a service, the call fails at once instead of reaching a stable
 * instance. Service ids are compared ignoring case.
 *
 * <p>A list from the network ({@link #parse(CharSequence, Consumer)}) is bounded: a value longer
 * than {@link #MAX_VALUE_LENGTH} characters is dropped whole, entries beyond
 * {@link #MAX_ENTRIES} and malformed entries are dropped one by one, and each drop is reported
 * to the caller's listener rather than thrown.
 *
 * @param serviceIds the lower-case service ids
 * @since 0.1.0
 */
public record FailFastServices(Set<String> serviceIds) {

	/** No service is fail-fast. */
	public static final FailFastServices NONE = new FailFastServices(Set.of());

	/** The most entries kept from one list. */
	public static final int MAX_ENTRIES = 32;

	/** The longest service id accepted. */
	public static final int MAX_SERVICE_ID_LENGTH = 128;

	/** The longest list value accepted from the network; anything longer is dropped whole. */
	public static final int MAX_VALUE_LENGTH = 2048;

	public FailFastServices {
		// Checked before the copy so that a null id gets this message rather than a bare NPE.
		for (String serviceId : serviceIds) {
			TagRejection rejection = checkServiceId(serviceId);
			if (rejection != null || !serviceId.equals(serviceId.toLowerCase(Locale.ROOT))) {
				throw new IllegalArgumentException("fail-fast service id must be 1 to " + MAX_SERVICE_ID_LENGTH
						+ " lower-case characters of [a-z0-9._-], but was " + LogSafe.quote(serviceId));
			}
		}
		serviceIds = Set.copyOf(serviceIds);
	}

	/**
	 * The fail-fast set of trusted service ids, such as those from configuration.
	 * @param serviceIds the service ids, in any case
	 * @return the set
	 * @throws IllegalArgumentException if a service id is malformed, naming it
	 */
	public static FailFastServices of(Collection<String> serviceIds) {
		if (serviceIds.isEmpty()) {
			return NONE;
		}
		List<String> normalized = new ArrayList<>(serviceIds.size());
		for (String serviceId : serviceIds) {
			normalized.add((serviceId != null) ? lowerCaseAscii(serviceId.strip()) : null);
		}
		return new FailFastServices(new LinkedHashSet<>(normalized));
	}

	/**
	 * The fail-fast set named by an untrusted comma-separated value, such as a header or a
	 * baggage entry. Never throws.
	 * @param raw the value as received, may be {@code null}
	 * @param onRejected told once per dropped entry (or once for a value dropped whole)
	 * @return the valid entries, at most {@link #MAX_ENTRIES}
	 */
	public static FailFastServices parse(CharSequence raw, Consumer<TagRejection> onRejected) {
		if (raw == null || raw.length() == 0) {
			return NONE;
		}
		if (raw.length() > MAX_VALUE_LENGTH) {
			onRejected.accept(TagRejection.TOO_LONG);
			return NONE;
		}
		Set<String> ids = new LinkedHashSet<>();
		boolean tooMany = false;
		for (String entry : raw.toString().split(",", -1)) {
			String id = lowerCaseAscii(IsolationTags.trimOws(entry));
			if (id.isEmpty()) {
				continue;
			}
			TagRejection rejection = checkServiceId(id);
			if (rejection != null) {
				onRejected.accept(rejection);
			}
			else if (ids.size() < MAX_ENTRIES || ids.contains(id)) {
				ids.add(id);
			}
			else {
				tooMany = true;
			}
		}
		if (tooMany) {
			onRejected.accept(TagRejection.TOO_MANY_ENTRIES);
		}
		return ids.isEmpty() ? NONE : new FailFastServices(ids);
	}

	/**
	 * Whether calls to a service must not fall back.
	 * @param serviceId the service id, in any case
	 * @return {@code true} if the service is in the set
	 */
	public boolean contains(String serviceId) {
		return !this.serviceIds.isEmpty() && this.serviceIds.contains(lowerCaseAscii(serviceId));
	}

	/**
	 * Whether the set is empty.
	 * @return {@code true} if no service is fail-fast
	 */
	public boolean isEmpty() {
		return this.serviceIds.isEmpty();
	}

	/**
	 * The union of this set and another, for the per-request list and the configured one.
	 * @param other the other set
	 * @return the union, which may be either argument when the other is empty
	 */
	public FailFastServices union(FailFastServices other) {
		if (other.isEmpty()) {
			return this;
		}
		if (isEmpty()) {
			return other;
		}
		Set<String> union = new LinkedHashSet<>(this.serviceIds);
		union.addAll(other.serviceIds);
		return new FailFastServices(union);
	}

	/**
	 * The comma-separated form that {@link #parse(CharSequence, Consumer)} reads back.
	 * @return the value to carry on the wire, empty when the set is
	 */
	public String toHeaderValue() {
		return String.join(",", this.serviceIds);
	}

	@Override
	public String toString() {
		return this.serviceIds.toString();
	}

	// Only A-Z is folded: String.toLowerCase would turn the Kelvin sign U+212A into 'k' and so
	// accept a non-ASCII id from the network as a different, valid one.
	private static String lowerCaseAscii(String value) {
		char[] chars = value.toCharArray();
		for (int i = 0; i < chars.length; i++) {
			if (chars[i] >= 'A' && chars[i] <= 'Z') {
				chars[i] = (char) (chars[i] + ('a' - 'A'));
			}
		}
		return new String(chars);
	}

	private static TagRejection checkServiceId(String id) {
		if (id == null || id.isEmpty()) {
			return TagRejection.EMPTY;
		}
		if (id.length() > MAX_SERVICE_ID_LENGTH) {
			return TagRejection.TOO_LONG;
		}
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
			if (!allowed) {
				return TagRejection.INVALID_CHARACTERS;
			}
		}
		return null;
	}

}
