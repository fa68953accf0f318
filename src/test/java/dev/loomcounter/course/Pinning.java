package dev.loomcounter.course;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordingStream;
import jdk.management.VirtualThreadSchedulerMXBean;

/**
 * The pinning lesson: on JDK 25 a virtual thread that blocks while holding a monitor lets go of its carrier (JEP 491);
 * one that blocks inside a class initializer does not. Each case blocks one more virtual thread than there are
 * carriers, then checks whether a bystander, a virtual thread with nothing to do, still gets to run.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@course -Dexample=Pinning}
 */
public final class Pinning {

    private Pinning() {
    }

    /** What one case showed: whether the bystander ran while the others were blocked, and the scheduler then. */
    public record Outcome(String name, boolean bystanderRan, Duration bystanderWaited, String scheduler,
            String jcmd) {
    }

    /** A {@code jdk.VirtualThreadPinned} event, the fields the lesson reads. */
    public record Pinned(String thread, Duration duration, String blockingOperation, String pinnedReason) {
    }

    /** How long the bystander is given to run while the others block. */
    static final Duration PATIENCE = Duration.ofSeconds(2);

    private static final Object MONITOR = new Object();
    private static final CountDownLatch RELEASE_MONITOR = new CountDownLatch(1);
    private static final CountDownLatch RELEASE_INITIALIZER = new CountDownLatch(1);

    /** A class whose initialization blocks: the VM runs {@code <clinit>} with its own frames under it. */
    static final class SlowToInitialize {
        static {
            awaitUninterruptibly(RELEASE_INITIALIZER);
        }

        static void touch() {
        }
    }

    public static void main(String[] args) throws Exception {
        List<Pinned> pinned = new CopyOnWriteArrayList<>();
        CountDownLatch recorded = new CountDownLatch(1);
        try (RecordingStream recording = new RecordingStream()) {
            // Enabled by default with a 20 ms threshold; 0 ms shows every one.
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
            recording.onEvent("jdk.VirtualThreadPinned", event -> {
                String thread = event.getThread("eventThread").getJavaName();
                pinned.add(new Pinned(thread, event.getDuration(), event.getString("blockingOperation"),
                        event.getString("pinnedReason")));
                if (String.valueOf(event.getString("pinnedReason")).contains("<clinit>")) {
                    recorded.countDown(); // the one that ran <clinit>: either thread, whichever got there first
                }
            });
            recording.startAsync();

            print(block("synchronized", () -> holdMonitorUntil(RELEASE_MONITOR), RELEASE_MONITOR));
            print(block("class initializer", SlowToInitialize::touch, RELEASE_INITIALIZER));
            // The stream delivers events in batches, about once a second.
            recorded.await(30, TimeUnit.SECONDS);
            recording.stop();
        }
        // The thread that ran <clinit> first, then the one that waited for it.
        pinned.sort(Comparator.comparing(event -> !String.valueOf(event.pinnedReason()).contains("<clinit>")));
        pinned.forEach(event -> System.out.printf("jdk.VirtualThreadPinned on %s for %,d ms: %s, %s%n",
                event.thread(), event.duration().toMillis(), event.blockingOperation(), event.pinnedReason()));
    }

    private static void print(Outcome outcome) {
        System.out.printf("%s: the bystander %s%n", outcome.name(), outcome.bystanderRan()
                ? "ran after " + outcome.bystanderWaited().toMillis() + " ms"
                : "had not run after " + PATIENCE.toMillis() + " ms (it ran once they were released)");
        System.out.println("  scheduler MXBean: " + outcome.scheduler());
        System.out.println("  jcmd Thread.vthread_scheduler: " + outcome.jcmd());
    }

    /**
     * Starts one virtual thread per carrier, each running {@code blocking}; once each is about to block, starts a
     * bystander and gives it {@link #PATIENCE} to run; then releases them and waits for all.
     */
    public static Outcome block(String name, Runnable blocking, CountDownLatch release) throws Exception {
        VirtualThreadSchedulerMXBean scheduler = ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);
        // As many as there are carriers now (a spare one may be left over from an earlier blocking write).
        int carriers = Math.max(scheduler.getParallelism(), scheduler.getPoolSize());
        CountDownLatch entered = new CountDownLatch(carriers);
        List<Thread> blocked = new ArrayList<>();
        for (int i = 0; i < carriers; i++) {
            blocked.add(Thread.ofVirtual().name(name + "-" + i).start(() -> {
                // Nothing between here and the blocking call can unmount this thread: once every thread has
                // counted down, every carrier is taken until it blocks, and then it depends on how it blocks.
                entered.countDown();
                blocking.run();
            }));
        }
        entered.await();
        long began = System.nanoTime();
        Thread bystander = Thread.ofVirtual().name("bystander").start(() -> { });
        boolean ran = bystander.join(PATIENCE);
        Duration waited = Duration.ofNanos(System.nanoTime() - began);
        String state = "parallelism " + scheduler.getParallelism() + ", pool size " + scheduler.getPoolSize()
                + ", mounted " + scheduler.getMountedVirtualThreadCount() + ", queued "
                + scheduler.getQueuedVirtualThreadCount();
        String jcmd = jcmd("Thread.vthread_scheduler");
        release.countDown();
        bystander.join();
        for (Thread thread : blocked) {
            thread.join();
        }
        return new Outcome(name, ran, waited, state, jcmd);
    }

    /** Holds the monitor while it waits: with JEP 491 the virtual thread unmounts, monitor and all. */
    private static void holdMonitorUntil(CountDownLatch release) {
        synchronized (MONITOR) {
            awaitUninterruptibly(release);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the JDK's jcmd against this very process, as the lesson does from another terminal. */
    private static String jcmd(String command) {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path jcmd = java.resolveSibling("jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(ProcessHandle.current().pid()), command)
                    .redirectErrorStream(true).start();
            List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines().toList();
            process.waitFor();
            // The first line is the process id.
            return lines.size() > 1 ? lines.get(1).strip() : String.join(" ", lines);
        } catch (IOException e) {
            return "(jcmd did not run: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
