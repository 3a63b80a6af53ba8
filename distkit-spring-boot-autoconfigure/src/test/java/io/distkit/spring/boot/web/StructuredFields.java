package io.distkit.spring.boot.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser of RFC 9651 structured-field lists, strict enough to reject what the RateLimit fields must not contain:
 * members are items whose bare item is a string, token or integer, each with parameters whose values are integers,
 * strings, tokens or booleans. Inner lists, decimals and byte sequences are refused as malformed here.
 */
final class StructuredFields {

	private final String input;

	private int position;

	private StructuredFields(String input) {
		this.input = input;
	}

	/**
	 * Parses a list field.
	 * @param field the field's value
	 * @return the members in order
	 * @throws IllegalArgumentException if the value is not a well-formed list of that kind
	 */
	static List<Item> parseList(String field) {
		StructuredFields parser = new StructuredFields(field);
		List<Item> members = new ArrayList<>();
		parser.skipSpaces();
		while (!parser.atEnd()) {
			members.add(parser.item());
			parser.skipOws();
			if (parser.atEnd()) {
				break;
			}
			parser.expect(',');
			parser.skipOws();
			if (parser.atEnd()) {
				throw parser.malformed("trailing comma");
			}
		}
		return members;
	}

	/**
	 * A list's members by name (the bare item of each member must be a string).
	 * @param field the field's value
	 * @return the members' parameters by name, in order
	 */
	static Map<String, Map<String, Object>> byName(String field) {
		Map<String, Map<String, Object>> members = new LinkedHashMap<>();
		for (Item item : parseList(field)) {
			if (!(item.value() instanceof String name) || !item.quoted()) {
				throw new IllegalArgumentException("member " + item + " of '" + field + "' is not a string");
			}
			if (members.put(name, item.parameters()) != null) {
				throw new IllegalArgumentException("'" + field + "' lists '" + name + "' twice");
			}
		}
		return members;
	}

	private Item item() {
		char c = peek();
		Object value;
		boolean quoted = false;
		if (c == '"') {
			value = string();
			quoted = true;
		}
		else if (c == '-' || Character.isDigit(c)) {
			value = integer();
		}
		else if (Character.isLetter(c) || c == '*') {
			value = token();
		}
		else {
			throw malformed("unexpected '" + c + "'");
		}
		Map<String, Object> parameters = new LinkedHashMap<>();
		while (!atEnd() && peek() == ';') {
			this.position++;
			skipSpaces();
			String key = key();
			Object parameter = Boolean.TRUE;
			if (!atEnd() && peek() == '=') {
				this.position++;
				parameter = bareItem();
			}
			parameters.put(key, parameter);
		}
		return new Item(value, quoted, parameters);
	}

	private Object bareItem() {
		char c = peek();
		if (c == '"') {
			return string();
		}
		if (c == '-' || Character.isDigit(c)) {
			return integer();
		}
		if (c == '?') {
			this.position++;
			char b = next();
			if (b != '0' && b != '1') {
				throw malformed("bad boolean");
			}
			return b == '1';
		}
		if (Character.isLetter(c) || c == '*') {
			return token();
		}
		throw malformed("unexpected '" + c + "'");
	}

	private String string() {
		expect('"');
		StringBuilder value = new StringBuilder();
		while (true) {
			char c = next();
			if (c == '\\') {
				char escaped = next();
				if (escaped != '"' && escaped != '\\') {
					throw malformed("bad escape");
				}
				value.append(escaped);
			}
			else if (c == '"') {
				return value.toString();
			}
			else if (c < 0x20 || c > 0x7e) {
				throw malformed("character outside a string's range");
			}
			else {
				value.append(c);
			}
		}
	}

	private long integer() {
		int start = this.position;
		if (peek() == '-') {
			this.position++;
		}
		int digits = 0;
		while (!atEnd() && Character.isDigit(peek())) {
			this.position++;
			digits++;
		}
		if (digits == 0 || digits > 15) {
			throw malformed("an integer has 1 to 15 digits");
		}
		if (!atEnd() && peek() == '.') {
			throw malformed("decimals are not expected");
		}
		return Long.parseLong(this.input.substring(start, this.position));
	}

	private String token() {
		int start = this.position;
		this.position++;
		while (!atEnd() && (Character.isLetterOrDigit(peek()) || ":/!#$%&'*+-.^_`|~".indexOf(peek()) >= 0)) {
			this.position++;
		}
		return this.input.substring(start, this.position);
	}

	private String key() {
		int start = this.position;
		char first = atEnd() ? ' ' : peek();
		if (!((first >= 'a' && first <= 'z') || first == '*')) {
			throw malformed("a key starts with a lower-case letter or '*'");
		}
		while (!atEnd() && ((peek() >= 'a' && peek() <= 'z') || Character.isDigit(peek()) || "_-.*".indexOf(peek()) >= 0)) {
			this.position++;
		}
		return this.input.substring(start, this.position);
	}

	private void skipSpaces() {
		while (!atEnd() && peek() == ' ') {
			this.position++;
		}
	}

	private void skipOws() {
		while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
			this.position++;
		}
	}

	private void expect(char c) {
		if (atEnd() || peek() != c) {
			throw malformed("expected '" + c + "'");
		}
		this.position++;
	}

	private char peek() {
		if (atEnd()) {
			throw malformed("unexpected end");
		}
		return this.input.charAt(this.position);
	}

	private char next() {
		char c = peek();
		this.position++;
		return c;
	}

	private boolean atEnd() {
		return this.position >= this.input.length();
	}

	private IllegalArgumentException malformed(String problem) {
		return new IllegalArgumentException("Malformed structured field '" + this.input + "' at " + this.position + ": "
				+ problem);
	}

	/**
	 * A list member.
	 * @param value its bare item
	 * @param quoted whether the bare item is a string (rather than a token)
	 * @param parameters its parameters
	 */
	record Item(Object value, boolean quoted, Map<String, Object> parameters) {
	}

}
