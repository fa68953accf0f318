package dev.loomcounter.cli;

import dev.loomcounter.ArgumentFiles;
import dev.loomcounter.BuildVersion;
import dev.loomcounter.ExitCode;
import dev.loomcounter.client.ClientCommand;
import dev.loomcounter.demo.DemoCommand;
import dev.loomcounter.server.ServerCommand;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code loom-counter server [flags]} and {@code loom-counter client [flags]}: the one entry point, in a package of its
 * own, so that the commands it gathers depend on the root package ({@link ExitCode}, {@link BuildVersion}) and the root
 * on none of them.
 */
@Command(name = "loom-counter", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "A counting server on virtual threads and structured concurrency (JDK 25).",
        subcommands = {ServerCommand.class, ClientCommand.class, DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCode.OK + ":done",
                ExitCode.FAILED + ":failed (each command's --help says how)",
                ExitCode.USAGE + ":a bad command, flag or value; or a JVM without --enable-preview"},
        footerHeading = "%n",
        footer = ArgumentFiles.HELP)
public final class Main {

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
