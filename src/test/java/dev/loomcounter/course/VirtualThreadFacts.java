package dev.loomcounter.course;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What JEP 444 and the JDK's guide to virtual threads say they are, each fact asked of a running JDK: daemon, a fixed
 * priority, one shared thread group, left out of {@code Thread.getAllStackTraces()}, inheritable thread locals that a
 * builder can refuse, an executor with a thread per task and a factory of one's own, the {@code
 * -Djdk.traceVirtualThreadLocals} option, and the limits that bound platform threads instead.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@course -Dexample=VirtualThreadFacts}
 */
public final class VirtualThreadFacts {

    private static final InheritableThreadLocal<String> USER = new InheritableThreadLocal<>();

    private VirtualThreadFacts() {
    }

    /** What a virtual thread says about itself, asked from inside it. */
    public record Self(boolean daemon, int priority, int priorityAfterSet, String group, boolean inAllStackTraces) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--set-a-thread-local")) {
            setAThreadLocal();
            return;
        }
        Self self = self();
        System.out.printf("daemon: %b; priority: %d, and %d after setPriority(MAX_PRIORITY)%n", self.daemon(),
                self.priority(), self.priorityAfterSet());
        System.out.printf("thread group: %s; in Thread.getAllStackTraces(): %b%n", self.group(),
                self.inAllStackTraces());
        System.out.printf("inheritable thread local, inherited: %s; with inheritInheritableThreadLocals(false): %s%n",
                inherited(true), inherited(false));
        System.out.println("newThreadPerTaskExecutor, a factory of named virtual threads: " + namedByFactory(3));
        System.out.println("-Djdk.traceVirtualThreadLocals: " + tracedThreadLocal());
        System.out.println("platform thread limits: " + limits());
        Crowd crowd = platformCrowd(10_000, Duration.ofMillis(100));
        System.out.printf("%,d platform threads of 100 ms each, in one scope: done in %,d ms, at most %,d alive at once%n",
                crowd.threads(), crowd.elapsed().toMillis(), crowd.mostAlive());
    }

    public static Self self() throws InterruptedException {
        Self[] seen = new Self[1];
        Thread.ofVirtual().start(() -> {
            Thread me = Thread.currentThread();
            int before = me.getPriority();
            me.setPriority(Thread.MAX_PRIORITY); // ignored: a virtual thread's priority is always NORM_PRIORITY
            seen[0] = new Self(me.isDaemon(), before, me.getPriority(), me.getThreadGroup().getName(),
                    Thread.getAllStackTraces().containsKey(me));
        }).join(); // join(): what the thread wrote happens-before this line
        return seen[0];
    }

    /** The value a child virtual thread sees of its parent's inheritable thread local. */
    public static String inherited(boolean inherit) throws InterruptedException {
        USER.set("alice");
        try {
            String[] seen = new String[1];
            Thread.ofVirtual().inheritInheritableThreadLocals(inherit).start(() -> seen[0] = USER.get()).join();
            return String.valueOf(seen[0]);
        } finally {
            USER.remove();
        }
    }

    /** Names of threads from {@code Executors.newThreadPerTaskExecutor} with a builder's factory: one per task. */
    public static List<String> namedByFactory(int tasks) throws Exception {
        List<Future<String>> names = new ArrayList<>();
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("worker-", 1).factory())) {
            for (int i = 0; i < tasks; i++) {
                names.add(executor.submit(() -> Thread.currentThread().getName()));
            }
        }
        List<String> result = new ArrayList<>();
        for (Future<String> name : names) {
            result.add(name.resultNow());
        }
        return result;
    }

    /**
     * Runs this class again in a JVM with {@code -Djdk.traceVirtualThreadLocals}, where a virtual thread sets a
     * thread local: the JDK reads the option when {@code ThreadLocal} is initialized, long before {@code main}, so
     * it can only be given on the command line. Returns what the child printed, in short.
     */
    public static String tracedThreadLocal() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "--enable-preview", "-Djdk.traceVirtualThreadLocals",
                "-cp", System.getProperty("java.class.path"), VirtualThreadFacts.class.getName(),
                "--set-a-thread-local").redirectErrorStream(true).start();
        List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (child.waitFor() != 0 || lines.isEmpty()) {
            throw new IllegalStateException("the traced run failed: " + lines);
        }
        return "a virtual thread's ThreadLocal.set printed " + lines.getFirst() + " and " + (lines.size() - 1)
                + " frames, from " + lines.stream().filter(line -> line.contains("setAThreadLocal")).findFirst()
                .map(frame -> frame.strip().replaceAll("\\(.*\\)$", "")).orElse("(no frame of this class)");
    }

    private static void setAThreadLocal() throws InterruptedException {
        ThreadLocal<String> local = new ThreadLocal<>();
        Thread.ofVirtual().name("traced").start(() -> local.set("cached")).join();
    }

    /**
     * What bounds platform threads on Linux: {@code pid_max} and {@code threads-max} count threads alive at once in
     * the whole system; a container's cgroup {@code pids.max} counts those of the container, usually far fewer.
     */
    public static String limits() {
        // cgroup v2 has the file at the root of the container's hierarchy, v1 under its pids controller.
        String cgroup = Files.exists(Path.of("/sys/fs/cgroup/pids.max")) ? "/sys/fs/cgroup/" : "/sys/fs/cgroup/pids/";
        return "pid_max " + read("/proc/sys/kernel/pid_max") + ", threads-max " + read("/proc/sys/kernel/threads-max")
                + ", pids.max " + read(cgroup + "pids.max") + " (" + cgroup + ")";
    }

    /** The first line of a kernel file; read line by line, since /proc files report a size of 0. */
    private static String read(String file) {
        try (var lines = Files.lines(Path.of(file))) {
            return lines.findFirst().orElse("").strip();
        } catch (IOException e) {
            return "(not here)";
        }
    }

    /** How long a crowd of platform threads took, how many finished, and how many were alive at once at most. */
    public record Crowd(int threads, int finished, Duration elapsed, int mostAlive) {
    }

    /**
     * {@code threads} platform subtasks that each sleep {@code sleep}, forked in one scope. The limits above bound the
     * threads alive at once, not the threads created: starting a platform thread takes time, the first ones end
     * while later ones are being started, and the count alive stays far below the count forked.
     */
    public static Crowd platformCrowd(int threads, Duration sleep) throws InterruptedException {
        AtomicInteger alive = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        long began = System.nanoTime();
        try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                config -> config.withThreadFactory(Thread.ofPlatform().factory()))) {
            for (int i = 0; i < threads; i++) {
                scope.fork(() -> {
                    most.accumulateAndGet(alive.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(sleep);
                    } finally {
                        alive.decrementAndGet();
                    }
                    finished.incrementAndGet();
                    return null;
                });
            }
            scope.join();
        }
        return new Crowd(threads, finished.get(), Duration.ofNanos(System.nanoTime() - began), most.get());
    }
}
