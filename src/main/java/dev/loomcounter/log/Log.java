package dev.loomcounter.log;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The server's log: one timestamped line per event. Lines that name a thread show {@link Thread#toString()}, which
 * for a virtual thread reads {@code VirtualThread[#42,conn-1/req-1/increment-3]/runnable@ForkJoinPool-1-worker-2}:
 * the virtual thread, and the carrier it is mounted on at that moment.
 *
 * <p>Logging must not cost the server what it logs. Three rules make it so:
 * <ul>
 *   <li>A request thread never writes to the terminal: it hands its line to a bounded queue, and one platform thread
 *       writes. A full queue drops the line and counts it; a slow terminal or a full pipe never blocks a request.</li>
 *   <li>Request, connection and subtask lines are printed in full up to a rate a person can read
 *       ({@code --log-lines-per-second}); beyond it, the rest of the second is folded into one summary line.</li>
 *   <li>Whether a line will be printed is decided before it is built: those lines come as suppliers, so a folded or
 *       quiet line costs a counter increment, not a string.</li>
 * </ul>
 */
public final class Log implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final int QUEUE_CAPACITY = 4_096;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** Tells the writer that nothing follows. */
    private static final String END = new String("end of log");

    private final Consumer<String> sink;
    private final boolean quiet;
    private final int linesPerSecond;
    private final BlockingQueue<String> queue;
    private final Thread writer;

    // This second's traffic, reset by the writer when it prints the summary.
    private final AtomicInteger linesThisSecond = new AtomicInteger();
    private volatile boolean folding;
    private final LongAdder folded = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    /**
     * This second's request latencies in microseconds: HdrHistogram's recorder is written by many threads without a
     * lock, and hands the writer the second's histogram while the next second is already being recorded.
     */
    private final Recorder latencies = new Recorder(2);
    private Histogram lastSecond;
    private final AtomicLong dropped = new AtomicLong();

    /** Where lines go: to the writer thread, straight to the sink from the caller's thread, or nowhere. */
    private enum Mode { QUEUED, DIRECT, SILENT }

    private final Mode mode;

    private Log(Consumer<String> sink, boolean quiet, int linesPerSecond, Mode mode) {
        this.sink = sink;
        this.quiet = quiet;
        this.linesPerSecond = linesPerSecond;
        this.mode = mode;
        this.queue = mode == Mode.QUEUED ? new ArrayBlockingQueue<>(QUEUE_CAPACITY) : null;
        // A platform thread: writing to a terminal or a pipe may block, and must not hold a carrier meanwhile.
        this.writer = mode == Mode.QUEUED
                ? Thread.ofPlatform().name("log-writer").daemon().start(this::write)
                : null;
    }

    /**
     * A log to a stream, e.g. {@code System.out}.
     *
     * @param quiet          leave out the per-subtask lines
     * @param linesPerSecond above this many request, connection and subtask lines a second, fold the rest
     */
    public static Log to(PrintStream out, boolean quiet, int linesPerSecond) {
        return new Log(out::println, quiet, linesPerSecond, Mode.QUEUED);
    }

    /** A log to any sink, called from one thread at a time (the writer's). */
    public static Log to(Consumer<String> sink, boolean quiet, int linesPerSecond) {
        return new Log(sink, quiet, linesPerSecond, Mode.QUEUED);
    }

    /**
     * A log that hands every line to a thread-safe sink at once, on the thread that logs, and folds nothing: for the
     * demo, which is read line by line, and for tests, which look for a line as soon as the call that logs it returns.
     */
    public static Log to(Consumer<String> sink, boolean quiet) {
        return new Log(sink, quiet, Integer.MAX_VALUE, Mode.DIRECT);
    }

    /** A log that drops everything, for benchmarks. */
    public static Log silent() {
        return new Log(line -> { }, true, 0, Mode.SILENT);
    }

    /** A rare event worth a line always: start, shutdown, failures. Never folded. */
    public void info(String message) {
        enqueue(message);
    }

    /**
     * A per-subtask line: the ones {@code --quiet} leaves out. A supplier, so that a quiet log does not even build
     * the line: with thousands of subtasks a second, the strings would be a measurable part of a subtask's cost.
     */
    public void detail(Supplier<String> message) {
        if (!quiet && printsNow()) {
            enqueue(message.get());
        }
    }

    /** A connection's event (opened, closed): printed, or folded under load. */
    public void connection(Supplier<String> message) {
        if (printsNow()) {
            enqueue(message.get());
        }
    }

    /** A connection was opened: counted for the summary line, and printed or folded. */
    public void connectionOpened(Supplier<String> message) {
        connectionsOpened.increment();
        connection(message);
    }

    /** A request's answer: its latency goes into the summary line; its line is printed or folded. */
    public void request(long wallNanos, Supplier<String> message) {
        requests.increment();
        latencies.recordValue(Math.max(0, wallNanos / 1_000));
        connection(message);
    }

    private boolean printsNow() {
        if (mode != Mode.QUEUED) {
            return mode == Mode.DIRECT;
        }
        // Once this second is over its rate, a folded line costs one uncontended LongAdder cell, not a shared CAS.
        if (!folding && linesThisSecond.incrementAndGet() <= linesPerSecond) {
            return true;
        }
        folding = true;
        folded.increment();
        return false;
    }

    private void enqueue(String message) {
        switch (mode) {
            case QUEUED -> {
                if (!queue.offer(LocalTime.now().format(TIME) + " " + message)) {
                    dropped.incrementAndGet();
                }
            }
            case DIRECT -> sink.accept(LocalTime.now().format(TIME) + " " + message);
            case SILENT -> { }
        }
    }

    /** The writer thread: prints queued lines as they come, and a summary at the end of each second that folded. */
    private void write() {
        long nextSecond = System.nanoTime() + SECOND;
        try {
            while (true) {
                String line = queue.poll(Math.max(0, nextSecond - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == END) {
                    summarize();
                    return;
                }
                if (line != null) {
                    sink.accept(line);
                }
                if (System.nanoTime() - nextSecond >= 0) {
                    summarize();
                    nextSecond += SECOND;
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting
        }
    }

    /** One line for the second that ended, if any line of it was folded or dropped; then a new second begins. */
    private void summarize() {
        long foldedLines = folded.sumThenReset();
        long droppedLines = dropped.getAndSet(0);
        long requestCount = requests.sumThenReset();
        long opened = connectionsOpened.sumThenReset();
        lastSecond = latencies.getIntervalHistogram(lastSecond);
        linesThisSecond.set(0);
        folding = false;
        if (foldedLines == 0 && droppedLines == 0) {
            return;
        }
        String summary = "1 s: " + thousands(requestCount) + " requests, " + thousands(opened) + " connections opened"
                + (requestCount == 0 ? "" : ", p50 " + millis(lastSecond.getValueAtPercentile(50))
                        + ", p99 " + millis(lastSecond.getValueAtPercentile(99)))
                + "; " + thousands(foldedLines) + " lines folded"
                + (droppedLines == 0 ? "" : ", " + thousands(droppedLines) + " dropped (the output was too slow)");
        sink.accept(LocalTime.now().format(TIME) + " " + summary);
    }

    private static String thousands(long n) {
        return String.format("%,d", n);
    }

    /** Microseconds as milliseconds, one decimal below 10 ms. */
    private static String millis(long micros) {
        return micros < 10_000 ? (micros / 100) / 10.0 + " ms" : micros / 1_000 + " ms";
    }

    /** Writes what is queued, then stops the writer; lines logged after this are lost. */
    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        try {
            queue.put(END);
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
