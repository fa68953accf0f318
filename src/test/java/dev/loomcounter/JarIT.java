package dev.loomcounter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as the README runs it, built by {@code package}: what it carries, a copy of it alone running the server,
 * and {@code client --plot} from {@code target/}, where the plot's library lies beside it in {@code lib/}.
 */
class JarIT {

    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();
    private static final Path JAR = Path.of("target", "loom-counter.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @Test
    void theJarLeavesThePlotLibraryOutAndNamesItBesideItself() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> entries = jar.stream().map(JarEntry::getName).toList();
            assertThat(entries).as("JFreeChart's classes").noneMatch(name -> name.startsWith("org/jfree/"))
                    .as("the Prometheus client's").anyMatch(name -> name.startsWith("io/prometheus/metrics/"))
                    .contains("dev/loomcounter/cli/Main.class");
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            assertThat(classPath).startsWith("lib/jfreechart-").endsWith(".jar");
            assertThat(JAR.resolveSibling(classPath)).as("the library the manifest names").isRegularFile();
        }
    }

    @Test
    void aCopyOfTheJarAloneServesAndTheClientBesideItsLibraryDrawsThePlot(@TempDir Path dir) throws Exception {
        Path alone = Files.copy(JAR, dir.resolve("loom-counter.jar"));
        Process server = new ProcessBuilder(JAVA, "--enable-preview", "-jar", alone.toString(), "server",
                "--port", "0", "--web-port", "0").redirectErrorStream(true).start();
        try {
            String port = awaitPort(server);
            Path plot = dir.resolve("plot.png");
            Process client = new ProcessBuilder(JAVA, "--enable-preview", "-Djava.awt.headless=true", "-jar",
                    JAR.toString(), "client", "--port", port, "--clients", "2", "--requests", "5",
                    "--plot", plot.toString()).redirectErrorStream(true).start();
            String said = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as("the client's exit code; it printed:%n%s", said).isZero();
            assertThat(said).contains("all answers verified");
            assertThat(Files.readAllBytes(plot)).as("a PNG file").startsWith(PNG);
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("the server stopped on SIGTERM").isTrue();
        }
    }

    @Test
    void aCopyOfTheJarAloneRefusesThePlotInOneLineBeforeAnyRun(@TempDir Path dir) throws Exception {
        Path alone = Files.copy(JAR, dir.resolve("loom-counter.jar"));
        // Port 1: nothing listens there, and nothing should try; the refusal comes before any connection.
        Process client = new ProcessBuilder(JAVA, "--enable-preview", "-jar", alone.toString(), "client",
                "--port", "1", "--requests", "1", "--plot", dir.resolve("plot.png").toString())
                .redirectErrorStream(true).start();
        String said = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).as("the client's exit code; it printed:%n%s", said).isEqualTo(2);
        assertThat(said.lines()).as(said).hasSize(1).first().asString().contains("--plot", "lib/")
                .doesNotContain("Exception");
    }

    /** Reads the server's output up to its listening line; the rest stays in the pipe, a few lines at most. */
    private static String awaitPort(Process server) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                return listening.group(1);
            }
        }
        throw new AssertionError("the server from the jar ended without listening:\n" + seen);
    }
}
