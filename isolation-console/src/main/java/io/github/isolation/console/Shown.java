package io.github.isolation.console;

/**
 * Cuts values read from ZooKeeper or discovery to a length a page can hold. The page escapes
 * them (Thymeleaf's {@code th:text}); this only keeps a 10 kB value from filling the screen.
 * Used in templates as {@code ${@shown.text(value)}}.
 *
 * @since 0.1.0
 */
public final class Shown {

	private final int maxLength;

	/**
	 * @param maxLength how many characters are shown at most
	 */
	public Shown(int maxLength) {
		if (maxLength < 8) {
			throw new IllegalArgumentException("isolation.console.max-shown-length must be at least 8, but was " + maxLength);
		}
		this.maxLength = maxLength;
	}

	/**
	 * The value, cut to the maximum length with the full length stated after it.
	 * @param value the value, may be {@code null}
	 * @return what the page shows
	 */
	public String text(Object value) {
		if (value == null) {
			return "";
		}
		String text = value.toString();
		if (text.length() <= this.maxLength) {
			return text;
		}
		return text.substring(0, this.maxLength) + "\u2026 (" + text.length() + " chars)";
	}

	/**
	 * The start of a value of which only a part was read, with the whole value's size.
	 * @param start the part read
	 * @param bytes the size of the whole value in bytes
	 * @return what the page shows
	 */
	public String start(String start, int bytes) {
		String text = (start != null) ? start : "";
		if (text.length() <= this.maxLength && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length == bytes) {
			return text;
		}
		return text.substring(0, Math.min(text.length(), this.maxLength)) + "\u2026 (" + bytes + " bytes)";
	}

}
