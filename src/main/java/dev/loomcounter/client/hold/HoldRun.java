package dev.loomcounter.client.hold;

import dev.loomcounter.ExitCode;
import dev.loomcounter.client.link.Answer;
import dev.loomcounter.client.link.Dialer;
import dev.loomcounter.client.link.LinkException;
import dev.loomcounter.client.link.ServerLink;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hold client: opens {@code --clients} connections, checks that each one answers, keeps them all open for
 * {@code --hold}, checks again, and reports what holding them cost this process.
 *
 * <p>Each connection has its own virtual thread for the whole time, and for nearly all of it that thread is parked on
 * a latch. A parked virtual thread is a small object on the heap with its stack frames, no operating-system thread:
 * ten thousand of them are what the memory line shows.
 */
public final class HoldRun {

    /** {@code 0 0}: the cheapest request there is, no subtasks at all, and its answer must be {@code 0}. */
    private static final Request.Count PROBE = new Request.Count(0, 0);

    private final Dialer dialer;
    private final int clients;
    private final Duration hold;
    private final PrintWriter out;

    private final LongAdder held = new LongAdder();
    private final LongAdder stillAnswering = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    public HoldRun(Dialer dialer, int clients, Duration hold, PrintWriter out) {
        this.dialer = dialer;
        this.clients = clients;
        this.hold = hold;
        this.out = out;
    }

    /** Opens, holds, checks and reports; the exit code is 0 only if every connection still answered at the end. */
    public int run() throws InterruptedException {
        out.printf("opening %,d connections to %s, to hold for %s%n", clients, dialer.address(), Durations.format(hold));
        CountDownLatch allOpened = new CountDownLatch(clients);
        CountDownLatch holdOver = new CountDownLatch(1);
        long began = System.nanoTime();
        try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                config -> config.withName("hold").withThreadFactory(Thread.ofVirtual().name("hold-", 1).factory()))) {
            for (int client = 0; client < clients; client++) {
                scope.fork(() -> holdOne(allOpened, holdOver));
            }
            allOpened.await();
            out.printf("%,d of %,d connections open and answering after %.1f s; client memory: %s%n", held.sum(),
                    clients, (System.nanoTime() - began) / 1e9, MemoryUse.afterCollection());
            // The hold is the point of the run, not a wait for something: a sleep says exactly that.
            Thread.sleep(hold);
            holdOver.countDown();
            scope.join();
        }
        out.printf("held %,d of %,d connections for %s; %,d still answered after it%n", held.sum(), clients,
                Durations.format(hold), stillAnswering.sum());
        if (firstFailure.get() != null) {
            out.printf("%,d failed; the first: %s%n", failures.sum(), firstFailure.get());
        }
        return stillAnswering.sum() == clients ? ExitCode.OK : ExitCode.FAILED;
    }

    /** One connection, on its own virtual thread: open and check, park until the hold is over, check, STOP. */
    private Void holdOne(CountDownLatch allOpened, CountDownLatch holdOver) throws InterruptedException {
        ServerLink link = null;
        try {
            link = dialer.open();
            probe(link);
            held.increment();
        } catch (LinkException e) {
            fail(e, link);
            return null;
        } finally {
            allOpened.countDown();
        }
        try {
            holdOver.await();
            probe(link);
            stillAnswering.increment();
        } catch (LinkException e) {
            fail(e, null);
        } finally {
            link.stop();
        }
        return null;
    }

    /** Asks {@code 0 0}; anything but {@code 0} back is a failure of this connection. */
    private static void probe(ServerLink link) throws LinkException {
        switch (link.ask(PROBE)) {
            case Answer.Right right -> {
            }
            case Answer.Wrong wrong -> throw probeFailed(link, Long.toString(wrong.value()));
            case Answer.Refused refused -> throw probeFailed(link, refused.error().toLine());
        }
    }

    private static LinkException probeFailed(ServerLink link, String reply) {
        return new LinkException("the server at " + link.address() + " answered '0 0' with " + reply);
    }

    private void fail(LinkException e, ServerLink link) {
        failures.increment();
        firstFailure.compareAndSet(null, e.getMessage());
        if (link != null) {
            link.close();
        }
    }
}
