package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.Main;
import dev.loomcounter.testing.TestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real server process, as a lesson starts it: its own JVM, JVM flags on the command line or in
 * {@code JDK_JAVA_OPTIONS}, and a log to read. The JDK is the one running the tests (JDK 25, chosen by the build's
 * toolchain), so {@code jcmd} and {@code jfr} are found next to its {@code java}.
 */
final class LessonServer implements AutoCloseable {

    /** Long enough for a cold JVM on a loaded 2-core machine, short enough to fail well before the JUnit timeout. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final int port;

    private LessonServer(Process process) {
        this.process = process;
        // The log is read as it comes, so that the process never blocks on a full pipe and a test can wait for a
        // line instead of sleeping.
        Thread.ofPlatform().daemon().name("log of " + process.pid()).start(this::readLog);
        String listening = awaitLog(LISTENING.asPredicate());
        Matcher matcher = LISTENING.matcher(listening);
        assertThat(matcher.find()).isTrue();
        this.port = Integer.parseInt(matcher.group(1));
    }

    /**
     * Starts {@code java [jvmOptions] -cp <test class path> dev.loomcounter.Main server --port 0 [serverArgs]}.
     *
     * @param jdkJavaOptions the {@code JDK_JAVA_OPTIONS} environment variable the {@code java} launcher reads, as a
     *                       lesson sets it in front of {@code ./mvnw}; empty for none
     */
    static LessonServer start(List<String> jvmOptions, String jdkJavaOptions, List<String> serverArgs)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "--enable-preview"));
        command.addAll(jvmOptions);
        // Surefire's class path holds the server's classes and picocli. Port 0: tests may run next to a server on
        // the default port.
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "server",
                "--port", "0", "--web-port", "0"));
        command.addAll(serverArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JDK_JAVA_OPTIONS");
        if (!jdkJavaOptions.isEmpty()) {
            builder.environment().put("JDK_JAVA_OPTIONS", jdkJavaOptions);
        }
        return new LessonServer(builder.start());
    }

    static LessonServer start(List<String> serverArgs) throws IOException {
        return start(List.of(), "", serverArgs);
    }

    /** A JDK tool of the JDK running the tests, e.g. {@code jcmd} or {@code jfr}. */
    static Path jdkTool(String name) {
        return Path.of(JAVA).resolveSibling(name);
    }

    /** Runs a JDK tool to its end and returns what it printed; fails the test if it fails. */
    static String runTool(String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jdkTool(name).toString()));
        command.addAll(List.of(args));
        Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read before waiting: a tool that prints a lot would otherwise block on a full pipe.
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tool.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(tool.exitValue()).as("%s exit code; it printed:%n%s", command, output).isZero();
        return output;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    TestClient connect() throws IOException {
        return new TestClient(port);
    }

    /** Every line the server has printed so far. */
    List<String> log() {
        return List.copyOf(log);
    }

    /** Waits for the first log line that matches, and returns it. */
    String awaitLog(java.util.function.Predicate<String> wanted) {
        return await().atMost(PATIENCE).until(() -> log.stream().filter(wanted).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    String awaitLog(String contained) {
        return awaitLog(line -> line.contains(contained));
    }

    /** Waits until {@code count} log lines contain {@code contained}. */
    List<String> awaitLogs(String contained, int count) {
        return await().atMost(PATIENCE).until(
                () -> log.stream().filter(line -> line.contains(contained)).toList(), lines -> lines.size() >= count);
    }

    /** What Ctrl-C in the server's terminal does: SIGINT to the server. */
    void pressCtrlC() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** What {@code kill "$PID"} does: SIGTERM to the server. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the server to exit and returns its exit code. */
    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the server exited").isTrue();
        return process.exitValue();
    }

    private void readLog() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                log.add(line);
            }
        } catch (IOException e) {
            // The process has exited and its stream was closed under the reader: the log is complete.
            if (process.isAlive()) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** SIGTERM, then SIGKILL if it will not go: no test leaves a server behind. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
