package dev.loomcounter.client.load;

import dev.loomcounter.ExitCode;
import dev.loomcounter.client.link.Dialer;
import dev.loomcounter.client.link.LinkException;
import dev.loomcounter.client.link.ServerLink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.HdrHistogram.Histogram;

/**
 * The load client: {@code --clients} connections at once, each on its own virtual thread, sending random requests,
 * closed loop (one at a time) or open loop (on a schedule), and checking every answer against start + increments.
 *
 * <p>Every connection is opened first; the run starts when the last one is open, so that connecting is neither
 * measured nor in the way of the schedule.
 */
public final class LoadRun {

    private final Dialer dialer;
    private final LoadSettings settings;
    private final LoadOutput output;
    private final PrintWriter out;
    private final PrintWriter err;
    /** The width of the terminal on standard error, or 0 if it is none: then progress comes as plain lines. */
    private final int columns;
    /** Set by the owner before it fires the start gun; the connections read it after the gun. */
    private volatile Phases phases;
    /** Set by Ctrl-C: the connections' threads are then interrupted, and a link lost to that is no failure. */
    private final AtomicBoolean interrupted = new AtomicBoolean();

    public LoadRun(Dialer dialer, LoadSettings settings, LoadOutput output, PrintWriter out, PrintWriter err,
                   int columns) {
        this.dialer = dialer;
        this.settings = settings;
        this.output = output;
        this.out = out;
        this.err = err;
        this.columns = columns;
    }

    /**
     * Runs the load and reports it: the summary on standard output, or with {@code --json} the JSON there and the
     * summary on standard error. The exit code is 0 only if every request got its right answer and every threshold
     * held; Ctrl-C ends the run early, reports the part that ran, and exits 130.
     */
    public int run() throws InterruptedException {
        PrintWriter human = output.json() ? err : out;
        human.println(settings.describe() + " to " + dialer.address());
        human.flush();
        LoadTally tally = new LoadTally();
        SplittableRandom randomRoot = settings.randomRoot();
        CountDownLatch connected = new CountDownLatch(settings.clients());
        CountDownLatch startGun = new CountDownLatch(1);
        LatencyTimeline timeline = null;
        ProgressDisplay progress = null;
        Instant startedAt = Instant.now();
        Phases run = null;
        try (CtrlC ctrlC = CtrlC.interrupting(Thread.currentThread(), interrupted)) {
            // One scope for the whole run, one subtask (one virtual thread) per connection. The scope's join() waits
            // for all of them; a bug in one (an unexpected exception) cancels the others and fails the run. Ctrl-C
            // interrupts this thread in join(); leaving the block closes the scope, and closing it interrupts every
            // connection's thread: each one blocked in a socket read has its socket closed, so the server sees a
            // reset and cancels that request. Cancelling the whole run takes no code of its own.
            try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                    config -> config.withName("load")
                            .withThreadFactory(Thread.ofVirtual().name("client-", 1).factory()))) {
                for (int client = 0; client < settings.clients(); client++) {
                    // Split here, in the owner thread and in order: with --seed every connection's requests repeat,
                    // however the threads happen to be scheduled.
                    RandomGenerator random = randomRoot.split();
                    int connection = client;
                    scope.fork(() -> connection(connection, random, connected, startGun, tally));
                }
                connected.await();
                startedAt = Instant.now();
                run = Phases.startingNow(settings);
                phases = run;
                timeline = LatencyTimeline.start(tally.latencies(), run.measuredFrom());
                Phases started = run;
                progress = ProgressDisplay.start(tally, () -> done(started, tally), err, columns);
                startGun.countDown();
                scope.join();
            }
        } catch (InterruptedException e) {
            if (!interrupted.get()) {
                throw e;
            }
        } finally {
            if (interrupted.get()) {
                // The scope has closed and every connection has ended: the interrupt has done its work.
                Thread.interrupted();
            }
            if (progress != null) {
                progress.stop();
            }
        }
        long finished = System.nanoTime();
        if (interrupted.get()) {
            human.println("interrupted (Ctrl-C): the figures below cover the part that ran");
        }
        Histogram latencies = timeline != null ? timeline.stop() : new Histogram(3);
        Optional<Histogram> fromSend = settings.pacing() instanceof LoadSettings.Pacing.OpenLoop
                ? Optional.of(tally.fromSend()) : Optional.empty();
        Duration elapsed = run == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, finished - run.measuredFrom()));
        LoadSummary summary = new LoadSummary(settings, dialer.address(), startedAt, interrupted.get(),
                tally.measuredCounts(), tally.warmupCounts(), tally.connectionFailures(), tally.firstProblem(),
                elapsed, latencies, fromSend, timeline != null ? timeline.seconds() : List.of());
        summary.print(human);
        if (output.json()) {
            out.println(summary.toJson());
        }
        boolean written = write(output.histogram(), summary::writeHistogram)
                & write(output.plot(), file -> LatencyPlot.write(summary,
                settings.describe() + " to " + dialer.address(), file));
        out.flush();
        err.flush();
        int exitCode = summary.exitCode();
        return written || exitCode == ExitCode.INTERRUPTED ? exitCode : ExitCode.FAILED;
    }

    /**
     * One connection's life, on its own virtual thread: connect, wait for the start gun with the others, run, and
     * end with STOP (or abort, if something failed: leaving the try closes the socket with a reset).
     */
    private Void connection(int connection, RandomGenerator random, CountDownLatch connected,
                            CountDownLatch startGun, LoadTally tally) throws InterruptedException {
        ServerLink link;
        try {
            link = dialer.open();
        } catch (LinkException e) {
            tally.connectionFailed(e);
            return null;
        } finally {
            connected.countDown();
        }
        try (link) {
            startGun.await();
            Phases run = phases.withQuota(settings.quota(connection));
            switch (settings.pacing()) {
                case LoadSettings.Pacing.ClosedLoop() ->
                        ClosedLoopConnection.run(link, random, settings, run, tally);
                case LoadSettings.Pacing.OpenLoop(double perSecond) ->
                        new OpenLoopConnection(link, connection, random, settings,
                                new Schedule(run.start(), settings.clients(), perSecond), run, tally).run();
            }
        } catch (LinkException e) {
            if (!interrupted.get()) {
                tally.connectionFailed(e);
            }
        }
        return null;
    }

    /** How much of the run is done, from 0 to 1: by replies for a run of so many requests, else by time. */
    private double done(Phases run, LoadTally tally) {
        if (settings.expectedReplies().isPresent()) {
            return tally.measuredCounts().replies() / (double) settings.expectedReplies().getAsLong();
        }
        return (System.nanoTime() - run.start()) / (double) (run.end() - run.start());
    }

    /** A file the run writes besides its summary. */
    private interface FileWriter {
        void write(Path file) throws IOException;
    }

    /** Writes the file if one was asked for; a failure is one line on standard error, and fails the run. */
    private boolean write(Optional<Path> file, FileWriter writer) {
        if (file.isEmpty()) {
            return true;
        }
        try {
            writer.write(file.get());
            return true;
        } catch (IOException e) {
            err.println("cannot write " + file.get() + ": " + e.getMessage());
            return false;
        }
    }
}
