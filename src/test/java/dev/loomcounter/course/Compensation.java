package dev.loomcounter.course;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.management.VirtualThreadSchedulerMXBean;

/**
 * Lessons 2, 12 and 15: when the scheduler adds a carrier beyond its parallelism, and what its MXBean counts then.
 * The scheduler cannot unmount a virtual thread that blocks inside the operating system; for a few such calls, which
 * the JDK wraps (its internal {@code Blocker}), it starts a spare carrier for the time of the call instead
 * (<em>compensation</em>). On JDK 25 those are the streams of {@code System.in}, {@code System.out} and
 * {@code System.err}, a child process's pipes, host name lookups, and file channels in direct or synchronous mode
 * ({@code force}, locks); a plain {@code FileOutputStream} or {@code FileInputStream} is not among them: it holds its
 * carrier for the whole write or read.
 *
 * <p>The program runs with one carrier ({@code parallelism=1}, set before the first virtual thread exists, which is
 * when the scheduler reads it) and shows, in order: plain file writes leave the pool at one carrier; one line printed
 * from a virtual thread makes it two; a virtual thread blocked reading a child process's output, beside one that
 * computes, means two virtual threads on carriers while the MXBean says {@code mounted 1}: a carrier in a compensated
 * call is not counted.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@course -Dexample=Compensation}
 */
public final class Compensation {

    private Compensation() {
    }

    public static void main(String[] args) throws Exception {
        // Read once, when the scheduler is created: the first virtual thread of the JVM. Nothing before this line
        // starts one.
        System.setProperty("jdk.virtualThreadScheduler.parallelism", "1");
        VirtualThreadSchedulerMXBean scheduler = ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);

        Path file = Files.createTempFile("compensation", ".bin");
        try {
            Thread.ofVirtual().start(() -> writePlainFile(file, 2_000)).join();
        } finally {
            Files.delete(file);
        }
        System.out.printf("parallelism %d; 2,000 FileOutputStream writes from a virtual thread: pool size %d%n",
                scheduler.getParallelism(), scheduler.getPoolSize());

        Thread.ofVirtual().start(() -> System.out.println("a line printed by a virtual thread ("
                + Thread.currentThread() + ")")).join();
        System.out.printf("after it: pool size %d%n", scheduler.getPoolSize());

        Carriers both = readerBesideSpinner(scheduler);
        System.out.printf("a reader blocked in a child process's pipe, beside a spinner: pool size %d, mounted %d%n",
                both.poolSize(), both.mounted());
        System.out.println("  reader:  " + both.reader());
        System.out.println("  spinner: " + both.spinner());
    }

    /** What the scheduler said, and the two threads as {@code Thread.toString()} saw them, at the same moment. */
    record Carriers(int poolSize, int mounted, String reader, String spinner) {
    }

    /** A native method on top of the stack: the thread is blocked inside the operating system, still mounted. */
    private static boolean insideNativeRead(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length > 0 && stack[0].isNativeMethod();
    }

    private static void writePlainFile(Path file, int writes) {
        try (OutputStream out = new FileOutputStream(file.toFile())) {
            for (int i = 0; i < writes; i++) {
                out.write(i); // unbuffered: one write(2) each, on this virtual thread's carrier
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A virtual thread reads the output of {@code cat}, which says nothing until its input closes, and another spins:
     * two virtual threads on carriers with a parallelism of one, and the MXBean counts one of them.
     */
    private static Carriers readerBesideSpinner(VirtualThreadSchedulerMXBean scheduler) throws Exception {
        Process cat = new ProcessBuilder("cat").start();
        CountDownLatch spinning = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = Thread.ofVirtual().name("reader").start(() -> {
            try (InputStream in = cat.getInputStream()) {
                in.read(); // blocks in the operating system until cat's input is closed
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Thread spinner = Thread.ofVirtual().name("spinner").start(() -> {
            spinning.countDown();
            while (!stop.get()) {
                Thread.onSpinWait(); // computes: keeps its carrier
            }
        });
        spinning.await();
        while (!insideNativeRead(reader)) {
            Thread.onSpinWait(); // until the reader is in the operating system's read, its carrier with it
        }
        try {
            return new Carriers(scheduler.getPoolSize(), scheduler.getMountedVirtualThreadCount(), reader.toString(),
                    spinner.toString());
        } finally {
            stop.set(true);
            cat.getOutputStream().close();
            reader.join();
            spinner.join();
            cat.waitFor();
        }
    }
}
