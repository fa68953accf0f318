package dev.loomcounter.client;

import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.ThreadKind;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.random.RandomGenerator;

/**
 * The load client: {@code --clients} connections at once, each on its own virtual thread, each sending
 * {@code --requests} random requests one after the other and checking every answer against start + increments.
 */
final class LoadRun {

    private final Dialer dialer;
    private final LoadSettings settings;
    private final PrintWriter out;
    private final boolean terminal;

    LoadRun(Dialer dialer, LoadSettings settings, PrintWriter out, boolean terminal) {
        this.dialer = dialer;
        this.settings = settings;
        this.out = out;
        this.terminal = terminal;
    }

    /** Runs the load and prints its summary; the exit code is 0 only if every request got its right answer. */
    int run() throws InterruptedException {
        out.printf("%,d connections x %,d requests (increments %s%s) to %s%n", settings.clients(),
                settings.requests(), settings.increments(),
                settings.seed().isPresent() ? ", seed " + settings.seed().getAsLong() : "", dialer.address());
        LoadTally tally = new LoadTally(settings.totalRequests());
        SplittableRandom randomRoot = settings.randomRoot();
        long began = System.nanoTime();
        ProgressDisplay progress = ProgressDisplay.start(tally, settings.totalRequests(), out, terminal);
        // One scope for the whole run, one subtask (one virtual thread) per connection. The scope's join() waits for
        // all of them; a bug in one (an unexpected exception) cancels the others and fails the run.
        try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                config -> config.withName("load").withThreadFactory(ThreadKind.VIRTUAL.factory("client-")))) {
            for (int client = 0; client < settings.clients(); client++) {
                // Split here, in the owner thread and in order: with --seed every connection's requests repeat,
                // however the threads happen to be scheduled.
                RandomGenerator random = randomRoot.split();
                scope.fork(() -> drive(random, tally));
            }
            scope.join();
        } finally {
            progress.stop();
        }
        LoadSummary summary = tally.summary(Duration.ofNanos(System.nanoTime() - began));
        summary.print(out);
        return summary.clean() ? 0 : ClientCommand.FAILED;
    }

    /**
     * One connection's life, on its own virtual thread: connect, ask and check, STOP. It blocks in every read, which
     * parks the virtual thread and frees its carrier for the other connections.
     */
    private Void drive(RandomGenerator random, LoadTally tally) throws InterruptedException {
        try (ServerLink link = dialer.open()) {
            for (int sent = 0; sent < settings.requests(); sent++) {
                Request.Count request = settings.nextRequest(random);
                Answer answer = link.ask(request);
                tally.record(request, answer);
                if (answer instanceof Answer.Refused(Reply.Error error, long roundTrip)
                        && !error.code().connectionStaysOpen()) {
                    return null; // the server has closed this connection (busy, line too long): counted, done
                }
            }
            link.stop();
        } catch (LinkException e) {
            tally.connectionFailed(e);
        }
        return null;
    }
}
