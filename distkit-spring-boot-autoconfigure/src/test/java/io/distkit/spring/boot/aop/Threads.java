package io.distkit.spring.boot.aop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.scheduler.Schedulers;

/** Records the threads that evaluate an expression, for tests that prove where work runs. */
public class Threads {

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private final List<String> values = new CopyOnWriteArrayList<>();

	/** Records the current thread and returns {@code value}: use it in a key expression. */
	public String record(String value) {
		this.threads.add(Thread.currentThread());
		this.values.add(value);
		return value;
	}

	public void add(Thread thread) {
		this.threads.add(thread);
	}

	public List<Thread> threads() {
		return this.threads;
	}

	public List<String> values() {
		return this.values;
	}

	/** Whether {@code thread} is one Reactor treats as non-blocking (event loops, parallel scheduler). */
	public static boolean isNonBlocking(Thread thread) {
		return Schedulers.isNonBlockingThread(thread);
	}

}
