package dev.loomcounter;

import dev.loomcounter.client.ClientCommand;
import dev.loomcounter.demo.DemoCommand;
import dev.loomcounter.server.ServerCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code loom-counter server [flags]} and {@code loom-counter client [flags]}. */
@Command(name = "loom-counter", mixinStandardHelpOptions = true, version = "loom-counter 1.0",
        description = "A counting server on virtual threads and structured concurrency (JDK 25).",
        subcommands = {ServerCommand.class, ClientCommand.class, DemoCommand.class})
public final class Main {

    /** picocli's exit code for a bad flag or value, and ours. */
    public static final int USAGE_ERROR = 2;

    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    /** Settings every command line of the project shares, tests' included: {@code --threads platform}, not PLATFORM. */
    public static CommandLine configure(CommandLine commandLine) {
        return commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** The command line, printing to {@code out} and {@code err}: {@code main} uses it, and tests, with their own. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Main());
        configure(commandLine);
        commandLine.setOut(out);
        commandLine.setErr(err);
        // A bad flag gets one line that names it, not a page of usage: --help is there for that.
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine failed = exception.getCommandLine();
            failed.getErr().println(failed.getCommandName() + ": " + exception.getMessage()
                    + " (see " + failed.getCommandSpec().qualifiedName() + " --help)");
            return USAGE_ERROR;
        });
        return commandLine;
    }
}
