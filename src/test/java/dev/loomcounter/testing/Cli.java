package dev.loomcounter.testing;

import dev.loomcounter.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in the test's JVM, as {@code main} would, and keeps what it printed. */
public final class Cli {

    /** The exit code and the two outputs of one run. */
    public record Run(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
