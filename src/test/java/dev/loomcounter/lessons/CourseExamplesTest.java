package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.testing.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The course's examples (lessons 0, 0.5, 2, 11 to 14), each run as its lesson runs it: its {@code main}, in a JVM of its own,
 * with the test class path. Each must end with exit code 0 and print the lines its lesson shows, matched loosely
 * where times and sizes vary.
 */
class CourseExamplesTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** Each example, and patterns its output must match, line by line, in this order. */
    private static final Map<String, List<String>> EXAMPLES = Map.of(
            "HelloVirtualThreads", List.of(
                    "running on VirtualThread\\[#\\d+,hello]/runnable@ForkJoinPool-1-worker-\\d+",
                    "isVirtual: true, cores: \\d+",
                    "100,000 tasks slept 1 s each: all done in [\\d,]+ ms, on \\d carriers",
                    "a parked virtual thread: about [\\d,]+ bytes of heap \\(10,000 parked\\)",
                    "\\d+ CPU-bound tasks: one alone [\\d,]+ ms, all at once [\\d,]+ ms"),
            "ScopedValues", List.of(
                    "the owner sees conn-1/req-1",
                    "subtask 1 sees conn-1/req-1",
                    "a subtask of subtask 2 sees conn-1/req-1",
                    "a thread outside the scope sees \\(unbound\\)",
                    "after the binding, main sees \\(unbound\\)",
                    "fork inside a newer binding: StructureViolationException",
                    "100,000 subtasks, each with 8 context values:",
                    " +no context +heap +[\\d.,]+ MB, forked in +[\\d,]+ ms",
                    " +InheritableThreadLocal +heap +[\\d.,]+ MB, forked in +[\\d,]+ ms",
                    " +ScopedValue +heap +[\\d.,]+ MB, forked in +[\\d,]+ ms"),
            "Pinning", List.of(
                    "synchronized: the bystander ran after \\d+ ms",
                    // A snapshot, taken after the bystander ran: on a busy machine it may catch threads mounting.
                    " +scheduler MXBean: parallelism \\d+, pool size \\d+, mounted \\d+, queued 0",
                    " +jcmd Thread.vthread_scheduler: java.util.concurrent.ForkJoinPool@\\p{XDigit}+\\[Running, .*",
                    "class initializer: the bystander had not run after 2000 ms \\(it ran once they were released\\)",
                    " +scheduler MXBean: parallelism \\d+, pool size \\d+, mounted \\d+, queued [1-9]\\d*",
                    " +jcmd Thread.vthread_scheduler: java.util.concurrent.ForkJoinPool@\\p{XDigit}+\\[Running, .*",
                    "jdk.VirtualThreadPinned on class initializer-\\d for [\\d,]+ ms: LockSupport.park, VM call to "
                            + "dev.loomcounter.course.Pinning\\$SlowToInitialize.<clinit> on stack"),
            "BuiltInJoiners", List.of(
                    "allSuccessfulOrThrow +threw FailedException\\(replica C is down\\) +after +[\\d,]+ ms; A, B, C: "
                            + "\\[UNAVAILABLE, UNAVAILABLE, FAILED]",
                    "anySuccessfulResultOrThrow +returned 42 +after +[\\d,]+ ms; A, B, C: \\[SUCCESS, UNAVAILABLE, FAILED]",
                    "awaitAllSuccessfulOrThrow +threw FailedException\\(replica C is down\\) +after +[\\d,]+ ms; A, B, C: "
                            + "\\[UNAVAILABLE, UNAVAILABLE, FAILED]",
                    "awaitAll +returned null +after +[\\d,]+ ms; A, B, C: \\[SUCCESS, SUCCESS, FAILED]",
                    "allUntil\\(first success\\) +returned \\[SUCCESS, UNAVAILABLE, FAILED] +after +[\\d,]+ ms; "
                            + "A, B, C: \\[SUCCESS, UNAVAILABLE, FAILED]"),
            "Unstructured", List.of(
                    "100 increments of a minute each; the client goes away once all have started:",
                    " +StructuredTaskScope: +0 still running after the request ended",
                    " +ExecutorService: +100 still running after the request ended",
                    " +CompletableFuture: +100 still running after the request ended",
                    "1,000 tasks, a semaphore of 10 permits: at most 10 inside at once"),
            "LostUpdates", List.of(
                    "10,000 virtual threads, 1,000 increments each, 10,000,000 expected:",
                    // The plain field's count varies, and may even be exact: it is shown, not asserted.
                    "  plain field, num = num \\+ 1:  [\\d,]+",
                    "  AtomicLong.incrementAndGet:  10,000,000",
                    "  subtasks return their parts: 10,000,000"),
            "Compensation", List.of(
                    "parallelism 1; 2,000 FileOutputStream writes from a virtual thread: pool size 1",
                    "a line printed by a virtual thread \\(VirtualThread\\[#\\d+]/runnable@ForkJoinPool-1-worker-1\\)",
                    "after it: pool size 2",
                    "a reader blocked in a child process's pipe, beside a spinner: pool size 2, mounted 1",
                    "  reader:  VirtualThread\\[#\\d+,reader]/runnable@ForkJoinPool-1-worker-\\d",
                    "  spinner: VirtualThread\\[#\\d+,spinner]/runnable@ForkJoinPool-1-worker-\\d"),
            "VirtualThreadFacts", List.of(
                    "daemon: true; priority: 5, and 5 after setPriority\\(MAX_PRIORITY\\)",
                    "thread group: VirtualThreads; in Thread.getAllStackTraces\\(\\): false",
                    "inheritable thread local, inherited: alice; with inheritInheritableThreadLocals\\(false\\): null",
                    "newThreadPerTaskExecutor, a factory of named virtual threads: \\[worker-1, worker-2, worker-3]",
                    "-Djdk.traceVirtualThreadLocals: a virtual thread's ThreadLocal.set printed "
                            + "VirtualThread\\[#\\d+,traced]/runnable@ForkJoinPool-1-worker-\\d+ and \\d+ frames, from "
                            + "dev.loomcounter.course.VirtualThreadFacts.lambda\\$setAThreadLocal\\$0",
                    "platform thread limits: pid_max \\d+, threads-max \\d+, pids.max .*",
                    "10,000 platform threads of 100 ms each, in one scope: done in [\\d,]+ ms, at most [\\d,]+ alive "
                            + "at once"),
            "LateOutcomes", List.of(
                    "50 scopes of 200 subtasks released at once, each cancelled by its first success:",
                    "  onComplete calls after the joiner had asked to cancel: [\\d,]+",
                    "  of them, calls that found the scope already cancelled: [\\d,]+",
                    "  decisions taken \\(one compare-and-set per scope\\): 50"));

    /** {@code ./mvnw -q test-compile exec:exec@course -Dexample=Name}, as the lessons write it. */
    private static final Pattern COMMAND =
            Pattern.compile("\\./mvnw -q test-compile exec:exec@course -Dexample=(\\w+)");

    static List<String> examples() {
        return EXAMPLES.keySet().stream().sorted().toList();
    }

    @ParameterizedTest
    @MethodSource("examples")
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // 100,000 threads, several times, on a busy machine
    void theExamplePrintsWhatItsLessonShows(String example) throws Exception {
        LessonsDoc.shows("./mvnw -q test-compile exec:exec@course -Dexample=" + example + "\n");
        Process process = new ProcessBuilder(JAVA, "--enable-preview", "-cp", System.getProperty("java.class.path"),
                "dev.loomcounter.course." + example).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        List<String> lines = output.lines().toList();
        int from = 0;
        for (String expected : EXAMPLES.get(example)) {
            Pattern pattern = Pattern.compile(expected);
            int at = from;
            while (at < lines.size() && !pattern.matcher(lines.get(at)).matches()) {
                at++;
            }
            assertThat(at).as("a line matching %s after line %d of:%n%s", expected, from, output)
                    .isLessThan(lines.size());
            from = at + 1;
        }
    }

    /** Lesson 12's recording: the flag on the example's own command line, then {@code jfr print}, as written. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void lesson12RecordsThePinnedThreadsToAFile() throws Exception {
        String run = LessonsDoc.shows("\"$JDK25/bin/java\" --enable-preview -XX:StartFlightRecording:filename=pin.jfr"
                + " -cp target/classes:target/test-classes dev.loomcounter.course.Pinning\n");
        String print = LessonsDoc.shows("\"$JDK25/bin/jfr\" print --events jdk.VirtualThreadPinned pin.jfr\n");
        Path recording = Path.of("pin.jfr");
        try {
            List<String> command = new ArrayList<>(List.of(run.strip().split(" ")));
            command.set(0, JAVA); // "$JDK25/bin/java": the JDK running the tests
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            String[] jfr = print.strip().split(" "); // "$JDK25/bin/jfr": the tests' JDK's jfr
            assertThat(ServerProcess.runTool("jfr", Arrays.copyOfRange(jfr, 1, jfr.length)))
                    .contains("jdk.VirtualThreadPinned", "class initializer-", "<clinit>");
        } finally {
            Files.deleteIfExists(recording);
        }
    }

    /** No lesson runs an example this test does not run: every command of the course is checked. */
    @Test
    void everyExampleCommandOfTheLessonsIsRunHere() throws IOException {
        Matcher matcher = COMMAND.matcher(LessonsDoc.text());
        List<String> named = matcher.results().map(result -> result.group(1)).distinct().sorted().toList();
        assertThat(named).as("examples the lessons run").containsExactlyElementsOf(examples());
        assertThat(named.stream().collect(Collectors.toSet())).hasSize(EXAMPLES.size());
    }
}
