package dev.loomcounter.client;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Shows a load run's progress while it runs: on a terminal, one line redrawn in place ({@code \r}) ten times a second;
 * elsewhere (a log file, CI), a plain line every few seconds, since a log has no use for a bar's every frame.
 */
final class ProgressDisplay {

    private static final Duration TERMINAL_INTERVAL = Duration.ofMillis(100);
    private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(2);
    private static final int BAR_WIDTH = 30;

    private final LoadTally tally;
    private final int total;
    private final PrintWriter out;
    private final boolean terminal;
    private final long began = System.nanoTime();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread painter;

    private ProgressDisplay(LoadTally tally, int total, PrintWriter out, boolean terminal) {
        this.tally = tally;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        // A thread that waits most of its life: virtual, like everything else in the client.
        this.painter = Thread.ofVirtual().name("progress").unstarted(this::paintUntilFinished);
    }

    static ProgressDisplay start(LoadTally tally, int total, PrintWriter out, boolean terminal) {
        ProgressDisplay display = new ProgressDisplay(tally, total, out, terminal);
        display.painter.start();
        return display;
    }

    private void paintUntilFinished() {
        Duration interval = terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL;
        try {
            // The latch is the clock and the stop signal at once: await times out on every tick, returns true at the end.
            while (!finished.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                paint();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void paint() {
        int done = tally.replies();
        double seconds = Math.max(1e-9, (System.nanoTime() - began) / 1e9);
        String figures = String.format("%,d/%,d requests  %,.0f/s  %,d errors", done, total, done / seconds,
                tally.problems());
        if (terminal) {
            int filled = total == 0 ? BAR_WIDTH : (int) ((long) done * BAR_WIDTH / total);
            out.print("\r[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + figures + "  ");
            out.flush();
        } else {
            out.println("progress: " + figures);
        }
    }

    /** Stops the display; on a terminal, the bar is drawn a last time, complete, and the line ended. */
    void stop() throws InterruptedException {
        finished.countDown();
        painter.join();
        if (terminal) {
            paint();
            out.println();
        }
    }
}
