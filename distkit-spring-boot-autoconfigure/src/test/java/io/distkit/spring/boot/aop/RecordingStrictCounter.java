package io.distkit.spring.boot.aop;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

import io.distkit.counter.StrictCounter;

/** A {@link StrictCounter} that tells a listener about every increment ({@code inc}, {@code add}) before passing it on. */
final class RecordingStrictCounter {

	private RecordingStrictCounter() {
	}

	static StrictCounter wrap(StrictCounter counter, Consumer<Thread> listener) {
		return (StrictCounter) Proxy.newProxyInstance(StrictCounter.class.getClassLoader(),
				new Class<?>[] { StrictCounter.class }, (proxy, method, arguments) -> {
					if (method.getName().equals("inc") || method.getName().equals("add")) {
						listener.accept(Thread.currentThread());
					}
					try {
						return method.invoke(counter, arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getTargetException();
					}
				});
	}

}
