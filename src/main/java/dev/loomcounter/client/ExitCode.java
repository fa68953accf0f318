package dev.loomcounter.client;

/** The exit codes of every client mode, in one place: a script tells them apart without reading the output. */
public final class ExitCode {

    /** Everything asked was done, and every answer checked out. */
    public static final int OK = 0;
    /** The run failed: no server, a lost connection, a wrong answer, an {@code ERR}. */
    public static final int FAILED = 1;
    /** A bad flag or value, said in one line; the same code picocli and {@code Main} give a bad command line. */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
