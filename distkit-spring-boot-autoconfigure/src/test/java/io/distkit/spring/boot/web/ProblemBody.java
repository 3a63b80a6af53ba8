package io.distkit.spring.boot.web;

import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;

/**
 * An RFC 9457 problem body as a client reads it.
 *
 * @param json every member
 */
record ProblemBody(Map<String, Object> json) {

	static ProblemBody of(String body) {
		return new ProblemBody(JsonPath.parse(body).read("$"));
	}

	String type() {
		return (String) this.json.get("type");
	}

	String title() {
		return (String) this.json.get("title");
	}

	int status() {
		return ((Number) this.json.get("status")).intValue();
	}

	String detail() {
		return (String) this.json.get("detail");
	}

	String instance() {
		return (String) this.json.get("instance");
	}

	@SuppressWarnings("unchecked")
	List<String> violatedPolicies() {
		return (List<String>) this.json.get("violated-policies");
	}

}
