package dev.loomcounter;

import dev.loomcounter.client.ClientCommand;
import dev.loomcounter.demo.DemoCommand;
import dev.loomcounter.server.ServerCommand;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code loom-counter server [flags]} and {@code loom-counter client [flags]}. */
@Command(name = "loom-counter", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "A counting server on virtual threads and structured concurrency (JDK 25).",
        subcommands = {ServerCommand.class, ClientCommand.class, DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCode.OK + ":done",
                ExitCode.FAILED + ":failed (each command's --help says how)",
                ExitCode.USAGE + ":a bad command, flag or value; or a JVM without --enable-preview"},
        footerHeading = "%n",
        footer = Main.ARGUMENT_FILES)
public final class Main {

    /** Picocli's argument files, for every command's help: long flag lists belong in a file, not in a shell history. */
    public static final String ARGUMENT_FILES = "Flags can come from a file: @FILE is replaced by the words in FILE "
            + "(split at spaces and line ends; quote a value with spaces; # starts a comment line), "
            + "as in: loom-counter client @load.args";

    public static void main(String[] args) {
        Optional<String> previewProblem = PreviewCheck.problem(args);
        if (previewProblem.isPresent()) {
            System.err.println(previewProblem.get());
            System.exit(ExitCode.USAGE);
        }
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    /** The command line, printing to {@code out} and {@code err}: {@code main} uses it, and tests, with their own. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
        // A bad flag gets one line that names it, not a page of usage: --help is there for that.
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine failed = exception.getCommandLine();
            failed.getErr().println(failed.getCommandName() + ": " + exception.getMessage()
                    + " (see " + failed.getCommandSpec().qualifiedName() + " --help)");
            return ExitCode.USAGE;
        });
        return commandLine;
    }
}
