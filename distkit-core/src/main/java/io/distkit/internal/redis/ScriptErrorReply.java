package io.distkit.internal.redis;

import io.distkit.DistkitException;

/**
 * A distkit script refused its input with an error reply of the form {@code DISTKIT_<CODE> <fields…>}; nothing was
 * written. The primitive that ran the script turns it into the exception its contract names. Not part of the public
 * API.
 */
public final class ScriptErrorReply extends DistkitException {

	private static final long serialVersionUID = 1L;

	private final String code;

	private final String[] fields;

	ScriptErrorReply(String script, String code, String[] fields, Throwable cause) {
		super("Script " + script + " refused its input: " + code + " " + String.join(" ", fields), cause);
		this.code = code;
		this.fields = fields;
	}

	/** The code after {@code DISTKIT_}, e.g. {@code OVERFLOW}. */
	public String code() {
		return this.code;
	}

	/** The space-separated fields after the code. */
	public String field(int index) {
		return this.fields[index];
	}

	public int fieldCount() {
		return this.fields.length;
	}

}
