package dev.loomcounter.client.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.loomcounter.ExitCode;
import dev.loomcounter.cli.Main;
import dev.loomcounter.testing.Patience;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C in the middle of a load run, as a person does it: a real client process, sent SIGINT by {@code kill -INT}
 * ({@link Process#destroy()} would send SIGTERM). It reports the part that ran, then exits 130.
 */
class CtrlCTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    @Test
    void ctrlCPrintsThePartThatRanAndExits130() throws Exception {
        try (StallServer server = new StallServer()) {
            server.release(); // answers at once: a plain, right server that counts what it gets
            Process client = new ProcessBuilder(JAVA, "--enable-preview", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "client", "--port", "" + server.port(), "--clients", "2",
                    "--duration", "10m", "--json").start();
            try {
                CompletableFuture<String> out = readAll(client.getInputStream());
                CompletableFuture<String> err = readAll(client.getErrorStream());
                // Well into the run: its connections are open and the Ctrl-C handler is in place.
                await().atMost(Patience.PATIENCE).until(() -> server.received() >= 100 || !client.isAlive());
                assertThat(client.isAlive()).as("the client runs until interrupted").isTrue();

                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(client.pid())).inheritIO().start();
                assertThat(kill.waitFor(Patience.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

                assertThat(client.waitFor(Patience.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
                assertThat(client.exitValue()).isEqualTo(ExitCode.INTERRUPTED);
                JsonObject json = JsonParser.parseString(out.get(Patience.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                        .getAsJsonObject();
                assertThat(json.get("interrupted").getAsBoolean()).isTrue();
                assertThat(json.get("exit_code").getAsInt()).isEqualTo(ExitCode.INTERRUPTED);
                JsonObject counts = json.getAsJsonObject("counts");
                assertThat(counts.get("ok").getAsLong()).isPositive();
                // The connections cut by Ctrl-C are no failures: the run was stopped, not broken.
                assertThat(counts.get("connection_failures").getAsLong()).isZero();
                assertThat(counts.get("wrong").getAsLong()).isZero();
                assertThat(json.getAsJsonObject("latency_ms").get("count").getAsLong())
                        .isEqualTo(counts.get("ok").getAsLong());
                List<String> summary = err.get(Patience.PATIENCE.toSeconds(), TimeUnit.SECONDS).lines().toList();
                assertThat(summary).contains("interrupted (Ctrl-C): the figures below cover the part that ran",
                        "INTERRUPTED: a partial run");
                assertThat(summary).anyMatch(line -> line.matches("requests ok: +[1-9][0-9,]*"));
                assertThat(summary).noneMatch(line -> line.contains("Exception"));
            } finally {
                client.destroyForcibly();
            }
        }
    }

    private static CompletableFuture<String> readAll(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }
}
