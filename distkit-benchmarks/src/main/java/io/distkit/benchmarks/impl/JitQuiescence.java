package io.distkit.benchmarks.impl;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.regex.Pattern;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Waits, at the end of a trial's set-up, until the JIT compilers have nothing queued or running. Set-up (Redis
 * clients, Spring, class generation for lambdas and method handles) makes large JDK methods hot; compiling them takes
 * the compiler threads seconds on a 2-core machine once 8 benchmark threads compete for the cores, and the measured
 * code waits behind them for its own compilation. Every contestant waits the same way, so the warm-up iterations
 * measure the contestant's code getting hot, not the compile queue its set-up left behind.
 */
public final class JitQuiescence {

	private static final Duration MAX_WAIT = Duration.ofSeconds(20);

	/** A task line of {@code Compiler.queue}: a compile id, or a compiler thread running one. */
	private static final Pattern TASK = Pattern.compile("(?m)^\\s*(\\d+\\s|C[12] CompilerThread)");

	private JitQuiescence() {
	}

	/** Returns once the compile queues are empty and no compile runs, or after {@link #MAX_WAIT}. */
	public static void await() {
		MBeanServer server = ManagementFactory.getPlatformMBeanServer();
		long deadline = System.nanoTime() + MAX_WAIT.toNanos();
		try {
			ObjectName diagnostics = new ObjectName("com.sun.management:type=DiagnosticCommand");
			while (System.nanoTime() < deadline) {
				Object queue = server.invoke(diagnostics, "compilerQueue", new Object[] { null },
						new String[] { String[].class.getName() });
				if (!TASK.matcher(String.valueOf(queue)).find()) {
					return;
				}
				Thread.sleep(20);
			}
		}
		catch (JMException ex) {
			// no diagnostic commands on this JVM: measure without waiting
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
