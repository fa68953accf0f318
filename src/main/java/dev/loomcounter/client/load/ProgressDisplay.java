package dev.loomcounter.client.load;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Shows a load run's progress on standard error while it runs, never on standard output, which is for results. On a
 * terminal, one line as wide as the terminal, redrawn in place ({@code \r}) ten times a second; elsewhere (a log
 * file, CI), a plain line every five seconds, since a log has no use for a bar's every frame.
 */
final class ProgressDisplay {

    private static final Duration TERMINAL_INTERVAL = Duration.ofMillis(100);
    private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);
    private static final int MIN_BAR = 10;
    private static final int MAX_BAR = 40;

    private final LoadTally tally;
    private final DoubleSupplier done;
    private final PrintWriter err;
    /** The terminal's width in columns; 0 if standard error is no terminal. */
    private final int columns;
    private final long began = System.nanoTime();
    private Ticker painter;

    private ProgressDisplay(LoadTally tally, DoubleSupplier done, PrintWriter err, int columns) {
        this.tally = tally;
        this.done = done;
        this.err = err;
        this.columns = columns;
    }

    /**
     * Starts painting.
     *
     * @param done    how much of the run is done, from 0 to 1
     * @param columns the terminal's width, or 0 for plain lines
     */
    static ProgressDisplay start(LoadTally tally, DoubleSupplier done, PrintWriter err, int columns) {
        ProgressDisplay display = new ProgressDisplay(tally, done, err, columns);
        display.painter = Ticker.start("progress", columns > 0 ? TERMINAL_INTERVAL : PLAIN_INTERVAL, display::paint);
        return display;
    }

    private void paint() {
        long replies = tally.replies();
        double seconds = Math.max(1e-9, (System.nanoTime() - began) / 1e9);
        double fraction = Math.clamp(done.getAsDouble(), 0.0, 1.0);
        String figures = String.format("%3.0f%%  %,d replies  %,.0f/s  %,d problems", fraction * 100, replies,
                replies / seconds, tally.problems());
        if (columns > 0) {
            // "[bar] figures", one column spare: a line that fills the last column wraps on some terminals.
            int bar = Math.min(MAX_BAR, columns - figures.length() - 4);
            String line = bar < MIN_BAR ? figures : "[" + "#".repeat((int) (fraction * bar))
                    + "-".repeat(bar - (int) (fraction * bar)) + "] " + figures;
            // Padded to the width, so that a shorter line wipes out the end of a longer one before it.
            int width = columns - 1;
            err.print("\r" + (line.length() > width ? line.substring(0, width)
                    : line + " ".repeat(width - line.length())));
            err.flush();
        } else {
            err.println("progress: " + figures);
        }
    }

    /** Stops the display; on a terminal, the bar is drawn a last time and the line ended. */
    void stop() throws InterruptedException {
        painter.stop();
        if (columns > 0) {
            paint();
            err.println();
        }
    }
}
