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
    /**
     * The load client's run was complete and every answer right, but a {@code --threshold} was crossed. 99, the code
     * k6 exits with for a failed threshold: a CI job written for k6 reads it the same way.
     */
    public static final int THRESHOLD = 99;
    /** Ended by Ctrl-C (SIGINT) after reporting what it had: 128 + 2, what a shell reports for a process SIGINT ended. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
