package dev.loomcounter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.loomcounter.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real server process: its own JVM started from the test class path, its log read as it comes, its threads and
 * open files counted from outside, as an operator would. The JDK is the one running the tests (JDK 25, chosen by the
 * build's toolchain), so {@code jcmd} is found next to its {@code java}.
 */
public final class ServerProcess implements AutoCloseable {

    /** Long enough for a cold JVM on a loaded 2-core machine, short enough to fail well before the JUnit timeout. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final int port;

    private ServerProcess(Process process) {
        this.process = process;
        // Read as it comes, so that the process never blocks on a full pipe and a test can wait for a line.
        Thread.ofPlatform().daemon().name("log of " + process.pid()).start(this::readLog);
        Matcher matcher = LISTENING.matcher(awaitLog(LISTENING.asPredicate()));
        assertThat(matcher.find()).isTrue();
        this.port = Integer.parseInt(matcher.group(1));
    }

    /**
     * Starts {@code java --enable-preview [jvmOptions] -cp <test class path> dev.loomcounter.cli.Main server --port 0
     * [serverArgs]}.
     *
     * @param jdkJavaOptions the {@code JDK_JAVA_OPTIONS} the {@code java} launcher reads; empty for none
     */
    public static ServerProcess start(List<String> jvmOptions, String jdkJavaOptions, List<String> serverArgs)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "--enable-preview"));
        command.addAll(jvmOptions);
        // Port 0: tests may run next to a server on the default port, and next to each other.
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "server",
                "--port", "0"));
        // No live view unless the test asks for one.
        if (!serverArgs.contains("--web-port")) {
            command.addAll(List.of("--web-port", "0"));
        }
        command.addAll(serverArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JDK_JAVA_OPTIONS");
        if (!jdkJavaOptions.isEmpty()) {
            builder.environment().put("JDK_JAVA_OPTIONS", jdkJavaOptions);
        }
        return new ServerProcess(builder.start());
    }

    public static ServerProcess start(List<String> serverArgs) throws IOException {
        return start(List.of(), "", serverArgs);
    }

    /** A JDK tool of the JDK running the tests, e.g. {@code jcmd} or {@code jfr}. */
    public static Path jdkTool(String name) {
        return Path.of(JAVA).resolveSibling(name);
    }

    /** Runs a JDK tool to its end and returns what it printed; fails the test if it fails. */
    public static String runTool(String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jdkTool(name).toString()));
        command.addAll(List.of(args));
        Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read before waiting: a tool that prints a lot would otherwise block on a full pipe.
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tool.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(tool.exitValue()).as("%s exit code; it printed:%n%s", command, output).isZero();
        return output;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Every line the server has printed so far. */
    public List<String> log() {
        return List.copyOf(log);
    }

    /** Waits for the first log line that matches, and returns it. */
    public String awaitLog(Predicate<String> wanted) {
        return await().atMost(PATIENCE).until(() -> log.stream().filter(wanted).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    public String awaitLog(String contained) {
        return awaitLog(line -> line.contains(contained));
    }

    /** Waits until {@code count} log lines contain {@code contained}. */
    public List<String> awaitLogs(String contained, int count) {
        return await().atMost(PATIENCE).until(
                () -> log.stream().filter(line -> line.contains(contained)).toList(), lines -> lines.size() >= count);
    }

    /** The operating system's threads of the process (platform threads: carriers, pool threads, the JVM's own). */
    public int osThreads() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status")).stream()
                .filter(line -> line.startsWith("Threads:"))
                .mapToInt(line -> Integer.parseInt(line.substring("Threads:".length()).strip()))
                .findFirst().orElseThrow();
    }

    /** The process's open file descriptors: sockets, the jar files, the pipes. */
    public int openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    /**
     * The server's open sockets: its listening sockets and its connections, the files in {@code /proc/PID/fd} that
     * link to {@code socket:[inode]}. Unlike {@link #openFiles()}, not the files the JDK opens for itself on first use
     * (its socket pollers' epoll and wake-up descriptors).
     */
    public int openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) fds.filter(ServerProcess::isSocket).count();
        }
    }

    private static boolean isSocket(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException e) {
            return false; // closed since it was listed
        }
    }

    /**
     * The JSON thread dump {@code jcmd <pid> Thread.dump_to_file -format=json} writes: every thread, virtual too. Only
     * for a server at rest: on JDK 25.0.3 the JDK's dump can crash a JVM whose virtual threads mount and unmount while
     * it runs (the live view's {@code /threads} is the safe one under load).
     */
    public JsonObject threadDump(Path dir) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "threads", ".json");
        Files.delete(file); // jcmd refuses to overwrite
        runTool("jcmd", Long.toString(pid()), "Thread.dump_to_file", "-format=json", file.toString());
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject().getAsJsonObject("threadDump");
    }

    /**
     * The live view's own thread dump, {@code GET /threads} on {@code webPort} (a server started with
     * {@code --web-port}): the server's scopes and their threads, in the shape of {@link #threadDump}, and safe to take
     * under load. It may be up to a second old: the view serves a fresh dump again for a second.
     */
    public static JsonObject liveThreadDump(int webPort) throws IOException {
        RawHttp.Response response = RawHttp.exchange(webPort,
                "GET /threads HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).as("GET /threads").isEqualTo(200);
        return JsonParser.parseString(response.text()).getAsJsonObject().getAsJsonObject("threadDump");
    }

    /**
     * The virtual threads of the server's scopes in a thread dump: connections, workers, subtasks; none when the
     * server is idle. Not the JDK's own, such as its socket pollers, which it starts on first use.
     */
    public static long virtualThreads(JsonObject threadDump) {
        return virtualThreadsWithStacks(threadDump).size();
    }

    /** The stack of the thread named {@code name} in a thread dump, top frame first; empty if there is none. */
    public static List<String> stackOf(JsonObject threadDump, String name) {
        for (JsonElement container : threadDump.getAsJsonArray("threadContainers")) {
            for (JsonElement element : container.getAsJsonObject().getAsJsonArray("threads")) {
                JsonObject thread = element.getAsJsonObject();
                if (thread.get("name").getAsString().equals(name)) {
                    List<String> frames = new ArrayList<>();
                    thread.getAsJsonArray("stack").forEach(frame -> frames.add(frame.getAsString()));
                    return frames;
                }
            }
        }
        return List.of();
    }

    /** The same threads, each as its name and its top frames: what a failed count should show. */
    public static List<String> virtualThreadsWithStacks(JsonObject threadDump) {
        List<String> threads = new ArrayList<>();
        for (JsonElement element : threadDump.getAsJsonArray("threadContainers")) {
            JsonObject container = element.getAsJsonObject();
            // A scope's container has an owner, the thread that opened it; an executor's or a pool's has none.
            if (!container.has("owner") || container.get("owner").isJsonNull()) {
                continue;
            }
            for (JsonElement threadElement : container.getAsJsonArray("threads")) {
                JsonObject thread = threadElement.getAsJsonObject();
                JsonElement virtual = thread.get("virtual");
                if (virtual != null && virtual.getAsBoolean()) {
                    List<String> frames = new ArrayList<>();
                    thread.getAsJsonArray("stack").forEach(frame -> frames.add(frame.getAsString()));
                    threads.add(thread.get("name").getAsString() + " at "
                            + String.join(" < ", frames.subList(0, Math.min(frames.size(), 12))));
                }
            }
        }
        return threads;
    }

    /** What {@code kill -<signal> <pid>} does, e.g. {@code INT} for Ctrl-C. */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
        assertThat(kill.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** Waits for the server to exit and returns its exit code. */
    public int awaitExit() throws InterruptedException {
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
        // Through the handle: Process.destroy() would also close the log's pipe under the reader while the server
        // still writes its last lines.
        process.toHandle().destroy();
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
