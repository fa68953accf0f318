package dev.loomcounter.client;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Whether a person is watching: decides between prompts and a progress bar, or plain lines for a pipe or a log. */
public final class Terminals {

    private static final int DEFAULT_COLUMNS = 80;

    private Terminals() {
    }

    /**
     * True if standard input and output are a terminal. Since JDK 22, {@link System#console()} can return a console
     * even when both are redirected; {@link Console#isTerminal()} is the question that still means "a person".
     */
    public static boolean attached() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    /**
     * True if standard error is a terminal, even when standard output is redirected ({@code client ... > out.json}):
     * where the load client's progress bar may redraw itself. The JDK cannot ask this; Linux tells through
     * {@code /proc}, and elsewhere a terminal on both other streams is the best guess.
     */
    public static boolean errorAttached() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return attached();
        }
    }

    /** The terminal's width in columns: {@code $COLUMNS}, else {@code stty size} on the controlling terminal, else 80. */
    public static int columns() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").strip());
        } catch (NumberFormatException notSet) {
            // most shells do not export COLUMNS
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
                return Integer.parseInt(size.substring(size.indexOf(' ') + 1));
            }
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            // no stty or no terminal: the default will do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_COLUMNS;
    }
}
