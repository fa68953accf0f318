package dev.loomcounter.log;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server's log: one timestamped line per event, in the spirit of the original's prints. Lines that name a
 * thread show {@link Thread#toString()}, which for a virtual thread reads
 * {@code VirtualThread[#42,conn-1/req-1/increment-3]/runnable@ForkJoinPool-1-worker-2}: the virtual thread, and the
 * carrier it is mounted on at that moment.
 *
 * <p>{@code PrintStream} uses a {@code ReentrantLock} inside, not {@code synchronized}, so many virtual threads
 * logging at once park on it rather than pin their carriers (and since JDK 24, JEP 491, {@code synchronized} no
 * longer pins either).
 */
public final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final Consumer<String> sink;
    private final boolean quiet;

    private Log(Consumer<String> sink, boolean quiet) {
        this.sink = sink;
        this.quiet = quiet;
    }

    public static Log to(PrintStream out, boolean quiet) {
        return new Log(out::println, quiet);
    }

    public static Log to(Consumer<String> sink, boolean quiet) {
        return new Log(sink, quiet);
    }

    /** A log that drops everything, for benchmarks. */
    public static Log silent() {
        return new Log(line -> { }, true);
    }

    /** An event worth one line always: start, connections, request summaries, shutdown. */
    public void info(String message) {
        sink.accept(LocalTime.now().format(TIME) + " " + message);
    }

    /**
     * A per-subtask line: the ones {@code --quiet} leaves out. A supplier, so that a quiet log does not even build
     * the line: with thousands of subtasks a second, the strings would be a measurable part of a subtask's cost.
     */
    public void detail(Supplier<String> message) {
        if (!quiet) {
            info(message.get());
        }
    }
}
