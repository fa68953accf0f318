package dev.loomcounter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.settings.ServerOptions;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as people expect of a picocli tool: help, version, exit codes, short flags, clear errors. */
class MainTest {

    /** The project's version, in parent/pom.xml: the first {@code <version>} after its artifactId. */
    private static final Pattern POM_VERSION =
            Pattern.compile("<artifactId>loom-counter-parent</artifactId>\\s*<version>([^<]+)</version>");

    @Test
    void rootHelpShowsEachCommandInAWholeSentence() {
        Cli.Run help = Cli.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("  server  Runs the counting server until Ctrl-C or SIGTERM.\n")
                .contains("  client  Talks to the counting server: a console, a load run or a hold run.\n")
                .contains("  demo    Starts a server, ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void versionIsThePomVersion(String flag) throws IOException {
        Matcher pom = POM_VERSION.matcher(Files.readString(Path.of("parent/pom.xml")));
        assertThat(pom.find()).as("the project's version in parent/pom.xml").isTrue();

        Cli.Run version = Cli.run(flag);

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).isEqualTo("loom-counter " + pom.group(1) + "\n");
        assertThat(Cli.run("server", flag).out()).isEqualTo(version.out());
    }

    @Test
    void eachHelpListsItsExitCodes() {
        assertThat(Cli.run("--help").out()).contains("Exit codes:\n", "  0   done", "  2   a bad command");
        assertThat(Cli.run("server", "--help").out()).contains("Exit codes:\n",
                "  0     stopped in order by Ctrl-C or SIGTERM", "  1     could not listen",
                "  2     a bad flag or value", "  130   a second Ctrl-C", "  143   a second SIGTERM");
        assertThat(Cli.run("client", "--help").out()).contains("Exit codes:\n",
                "  0   every request answered", "  1   no server", "  2   a bad flag or value");
        assertThat(Cli.run("demo", "--help").out()).contains("Exit codes:\n", "  1   the server could not start");
    }

    @Test
    void manyFlagsShowAsOptionsInTheSynopsis() {
        assertThat(Cli.run("server", "--help").out()).startsWith("Usage: loom-counter server [OPTIONS]\n");
        assertThat(Cli.run("client", "--help").out()).startsWith("Usage: loom-counter client [OPTIONS]\n");
    }

    @Test
    void exitWithParentIsHiddenButAccepted() {
        assertThat(Cli.run("server", "--help").out()).doesNotContain("--exit-with-parent");

        // Parsed, then stopped at the first bad value: the hidden flag itself is not the error.
        Cli.Run run = Cli.run("server", "--exit-with-parent", "--max-units", "0");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--max-units must be").doesNotContain("exit-with-parent");
    }

    @Test
    void aWrongEnumValueIsNamedInLowerCaseAndAnyCaseIsRead() {
        Cli.Run run = Cli.run("server", "--threads", "PLATFORMX");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("server: Invalid value for option '--threads': expected one of virtual, "
                + "platform, got 'PLATFORMX' (see loom-counter server --help)\n");
        assertThat(ServerOptions.fromFlags("--threads", "PLATFORM").threads()).isEqualTo(ThreadKind.PLATFORM);
        assertThat(ServerOptions.fromFlags("--threads", "Virtual").threads()).isEqualTo(ThreadKind.VIRTUAL);
    }

    @Test
    void shortFlagsAreTheLongOnes() {
        ServerSettings settings = ServerOptions.fromFlags("-p", "0", "-q");

        assertThat(settings.port()).isZero();
        assertThat(settings.quiet()).isTrue();
        assertThat(Cli.run("server", "--help").out()).contains("  -p, --port=PORT", "  -q, --quiet");
        assertThat(Cli.run("client", "--help").out()).contains("  -p, --port=PORT", "  -c, --clients=N",
                "  -n, --requests=M");
    }
}
