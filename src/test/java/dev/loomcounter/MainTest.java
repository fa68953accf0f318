package dev.loomcounter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.cli.Main;
import dev.loomcounter.settings.ServerOptions;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.testing.Cli;
import dev.loomcounter.testing.Patience;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as people expect of a picocli tool: help, version, exit codes, short flags, clear errors. */
class MainTest {

    /** The project's version, in .mvn/parent/pom.xml: the first {@code <version>} after its artifactId. */
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
        Matcher pom = POM_VERSION.matcher(Files.readString(Path.of(".mvn/parent/pom.xml")));
        assertThat(pom.find()).as("the project's version in .mvn/parent/pom.xml").isTrue();

        Cli.Run version = Cli.run(flag);

        assertThat(version.exitCode()).isZero();
        assertThat(version.out().lines()).containsExactly("loom-counter " + pom.group(1),
                "JVM: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.vm.version") + " (Java " + System.getProperty("java.version")
                        + ", " + System.getProperty("java.home") + ")",
                "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        assertThat(Cli.run("server", flag).out()).isEqualTo(version.out());
        assertThat(Cli.run("client", flag).out()).isEqualTo(version.out());
    }

    @Test
    void eachHelpListsItsExitCodes() {
        assertThat(Cli.run("--help").out()).contains("Exit codes:\n", "  0   done", "  2   a bad command");
        assertThat(Cli.run("server", "--help").out()).contains("Exit codes:\n",
                "  0     stopped in order by Ctrl-C or SIGTERM", "  1     could not listen",
                "  2     a bad flag or value", "  130   a second Ctrl-C", "  143   a second SIGTERM");
        assertThat(Cli.run("client", "--help").out()).contains("Exit codes:\n",
                "  0     every request answered", "  1     no server", "  2     a bad flag or value",
                "  99    load: every answer right, but a --threshold was crossed", "  130   load: Ctrl-C");
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

    /** The same words for the same range, one line, exit 2: the server may pick a free port (0), a client cannot. */
    @Test
    void aPortOutOfRangeIsOneLineForServerAndClient() {
        assertThat(Stream.of(Cli.run("server", "--port", "99999"), Cli.run("server", "-p", "-3"),
                        Cli.run("client", "--port", "99999"), Cli.run("client", "--port", "0"),
                        Cli.run("client", "-p", "-3", "-n", "5"), Cli.run("server", "--web-port", "70000")))
                .allSatisfy(run -> assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE))
                .allSatisfy(run -> assertThat(run.out()).isEmpty())
                .map(Cli.Run::err).containsExactly(
                        "server: --port must be 0 to 65535, got 99999 (see loom-counter server --help)\n",
                        "server: --port must be 0 to 65535, got -3 (see loom-counter server --help)\n",
                        "client: --port must be 1 to 65535, got 99999 (see loom-counter client --help)\n",
                        "client: --port must be 1 to 65535, got 0 (see loom-counter client --help)\n",
                        "client: --port must be 1 to 65535, got -3 (see loom-counter client --help)\n",
                        "server: --web-port must be 0 to 65535, got 70000 (see loom-counter server --help)\n");
    }

    @Test
    void anEmptyHostIsRefusedWhereItIsTyped() {
        assertThat(Stream.of(Cli.run("client", "--host", ""), Cli.run("server", "--host", " "),
                        Cli.run("server", "--web-host", "")))
                .allSatisfy(run -> assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE))
                .map(Cli.Run::err).allSatisfy(err -> assertThat(err).hasLineCount(1)
                        .contains("Invalid value for option '--", "host': the host is empty"));
    }

    @Test
    void theClientsHelpSpeaksOfTheServerItConnectsTo() {
        String client = Cli.run("client", "--help").out();
        String server = Cli.run("server", "--help").out();

        assertThat(client).contains("The server's address", "The server's TCP port, 1 to 65535")
                .doesNotContain("listen on", "pick a free");
        assertThat(server).contains("Address to listen on", "TCP port to listen on, 0 to 65535");
    }

    /**
     * picocli wraps at any break a line may have, "e." and "g." included: no help may break a word in two, nor trip
     * over its format characters.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "server", "client", "demo"})
    void noHelpBreaksAWordAcrossLines(String command) {
        Cli.Run run = command.isEmpty() ? Cli.run("--help") : Cli.run(command, "--help");
        String help = run.out();

        // picocli warns on stderr, and prints the raw text, when a description has a stray % in it.
        assertThat(run.err()).isEmpty();
        assertThat(help).doesNotContainPattern("\\b\\p{L}\\.\\n\\s+\\p{L}\\.")
                .doesNotContainPattern("\\p{L}-\\n");
    }

    @Test
    void argumentFilesAreInTheHelpAndWork(@TempDir Path dir) throws IOException {
        Path args = Files.writeString(dir.resolve("bad.args"), "# a comment\n--port 99999\n");

        Cli.Run run = Cli.run("client", "@" + args);

        assertThat(Cli.run("--help").out()).contains("@FILE is replaced by the words in FILE");
        assertThat(Cli.run("client", "--help").out()).contains("@FILE is replaced by the words in FILE");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("client: --port must be 1 to 65535, got 99999");
    }

    @Test
    void unitMillisTakesADurationAndStillABareNumber() {
        assertThat(ServerOptions.fromFlags("--unit-millis", "500ms").work().unitDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(ServerOptions.fromFlags("--unit-millis", "2s").work().unitDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ServerOptions.fromFlags("--unit-millis", "40").work().unitDuration()).isEqualTo(Duration.ofMillis(40));
        assertThat(ServerOptions.fromFlags().work().unitDuration()).isEqualTo(Duration.ofMillis(10));
        Cli.Run bad = Cli.run("server", "--unit-millis", "soon");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).hasLineCount(1).contains("'soon' is not a duration");
    }

    /**
     * Without --enable-preview, the first class that uses the preview API refuses to load. A real JVM started that
     * way (the test class path, as the jar would be) gets one line that says what to type, not a stack trace.
     */
    @Test
    void withoutEnablePreviewOneLineSaysWhatToType() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "client", "--port", "7008").redirectErrorStream(true);
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(Patience.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(ExitCode.USAGE);
        assertThat(output).hasLineCount(1).startsWith("loom-counter uses a preview API of JDK 25: run it with "
                + "--enable-preview, e.g. java --enable-preview -cp ").endsWith(" dev.loomcounter.cli.Main client --port 7008\n");
    }
}
