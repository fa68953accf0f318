package dev.loomcounter.client.load;

import dev.loomcounter.ExitCode;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a load run: instead of the JVM's default (run the shutdown hooks, exit 130, print nothing), the first
 * one interrupts the thread that owns the run, which then reports what it has; a second one exits at once, for a
 * person whose report is stuck. The JVM's handling comes back when the run is over. {@code sun.misc.Signal} is in the
 * {@code jdk.unsupported} module: not a standard API, but the JDK keeps it for exactly this use.
 */
final class CtrlC implements AutoCloseable {

    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;

    private CtrlC(SignalHandler previous) {
        this.previous = previous;
    }

    /** From now until {@link #close()}, Ctrl-C sets {@code pressed} and interrupts {@code owner}. */
    static CtrlC interrupting(Thread owner, AtomicBoolean pressed) {
        return new CtrlC(Signal.handle(INT, signal -> {
            if (pressed.compareAndSet(false, true)) {
                owner.interrupt();
            } else {
                Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
            }
        }));
    }

    @Override
    public void close() {
        Signal.handle(INT, previous);
    }
}
