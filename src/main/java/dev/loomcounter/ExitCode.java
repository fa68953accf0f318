package dev.loomcounter;

/**
 * The exit codes of every command (the server's, the client's modes, the demo's), in one place: a script tells them
 * apart without reading the output, and each command's help lists them from here.
 */
public final class ExitCode {

    /** Everything asked was done, and every answer checked out. */
    public static final int OK = 0;
    /** The run failed: no server, a lost connection, a wrong answer, an {@code ERR}; a server that could not start. */
    public static final int FAILED = 1;
    /** A bad flag or value, said in one line: picocli's own code for a bad command line, kept. */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
