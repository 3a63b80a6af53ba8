package io.distkit;

/**
 * Root of every exception distkit throws. Unchecked: callers catch the subclass they can act on.
 *
 * @since 0.1.0
 */
public class DistkitException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public DistkitException(String message) {
		super(message);
	}

	public DistkitException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Cuts a user-supplied text to 64 characters for use in a message, marking the cut.
	 * @param text the text, possibly {@code null}
	 * @return the text, or its first 64 characters followed by {@code …}
	 */
	public static String abbreviate(String text) {
		if (text == null) {
			return "null";
		}
		return (text.length() <= 64) ? text : text.substring(0, 64) + "…";
	}

}
