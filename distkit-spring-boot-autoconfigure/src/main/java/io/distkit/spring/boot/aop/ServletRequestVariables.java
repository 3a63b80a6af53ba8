package io.distkit.spring.boot.aop;

import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** {@code #request} and {@code #clientIp} from the servlet request bound to the current thread. */
final class ServletRequestVariables implements CallerVariables {

	private static final Set<String> NAMES = Set.of("request", "clientIp");

	@Override
	public Set<String> names() {
		return NAMES;
	}

	@Override
	public void collect(Map<String, @Nullable Object> variables) {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		HttpServletRequest request = (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest()
				: null;
		variables.put("request", request);
		variables.put("clientIp", (request != null) ? request.getRemoteAddr() : null);
	}

}
