package dev.loomcounter.counting;

import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.settings.WorkSettings;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Counts one request the structured way: one scope per request, one subtask per increment, and {@code join()} before
 * the answer. {@link #count} is the lesson of the project on one screen.
 */
public final class RequestCounter implements AutoCloseable {

    /** Forking a virtual thread costs about a microsecond: a hundred of them stay well under a millisecond. */
    static final int BRIEF_SUBTASKS = 100;

    private final Work work;
    private final int maxUnits;
    private final ThreadKind threads;
    private final Duration timeout;
    private final int maxSubtasks;
    /**
     * The global budget of subtasks in flight. A semaphore, not a pool: virtual threads are cheap and meant to be
     * made one per task, so a pool of them saves nothing; what is scarce is what the subtasks hold (heap, CPU time
     * before the timeout), and a semaphore limits exactly that while each subtask still gets its own thread.
     */
    private final Semaphore budget;
    private final SubtaskGauge gauge = new SubtaskGauge();
    private final SubtaskReport report;
    /** Requests of at most this many increments are brief: see {@link #isBrief}. */
    private final int briefIncrements;

    /**
     * @param work        what each increment does first, and how many units it may draw
     * @param fairness    with {@code ON}, spin work runs in slices on a fair CPU pool, one platform thread per core
     * @param threads     the kind of thread each subtask gets
     * @param timeout     how long a request may run, counted from the opening of its scope
     * @param maxSubtasks subtasks in flight at once, all requests together; a request that does not fit is refused
     * @throws IllegalArgumentException if unitIterations × maxUnits overflows a long, or a limit is not positive
     */
    public RequestCounter(WorkSettings work, Fairness fairness, ThreadKind threads, Duration timeout,
                          int maxSubtasks, Log log) {
        // Statements before this(...) (JEP 513, final in JDK 25): a bad argument is refused before Work.of starts the
        // fair pool's threads, so that none is left behind.
        check(threads, timeout, maxSubtasks, log);
        this(Work.of(work, fairness), work.maxUnits(), threads, timeout, maxSubtasks, log);
    }

    /** Any work, for tests: e.g. a fair pool whose slices fail. */
    RequestCounter(Work work, int maxUnits, ThreadKind threads, Duration timeout, int maxSubtasks, Log log) {
        check(threads, timeout, maxSubtasks, log);
        if (maxUnits < 1) {
            throw new IllegalArgumentException("max units must be 1 or more, got " + maxUnits);
        }
        this.work = Objects.requireNonNull(work, "work");
        this.maxUnits = maxUnits;
        this.threads = threads;
        this.timeout = timeout;
        this.maxSubtasks = maxSubtasks;
        this.budget = new Semaphore(maxSubtasks);
        this.report = new SubtaskReport(gauge, log);
        this.briefIncrements = (int) Math.min(BRIEF_SUBTASKS, work.briefUnits() / maxUnits);
    }

    private static void check(ThreadKind threads, Duration timeout, int maxSubtasks, Log log) {
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(log, "log");
        if (!Objects.requireNonNull(timeout, "timeout").isPositive()) {
            throw new IllegalArgumentException("timeout must be longer than zero, got " + timeout);
        }
        if (maxSubtasks < 1) {
            throw new IllegalArgumentException("max subtasks must be 1 or more, got " + maxSubtasks);
        }
    }

    /**
     * Counts {@code request.start() + request.increments()}: one scope named after the request bound in
     * {@link RequestContext#CURRENT}, one subtask per increment. The caller binds the context:
     * {@code ScopedValue.where(RequestContext.CURRENT, context).call(() -> counter.count(request, draws))}.
     *
     * @param draws each subtask's number of units; drawn in this thread, in fork order, so a seeded stream repeats
     * @throws NoSuchElementException if {@link RequestContext#CURRENT} is not bound
     * @throws InterruptedException   if the calling thread is interrupted (its connection was cancelled): the scope
     *                                is closed, every subtask cancelled and finished, before this returns
     */
    public Outcome count(Request.Count request, RandomGenerator draws) throws InterruptedException {
        RequestContext current = RequestContext.CURRENT.orElseThrow(() -> new NoSuchElementException(
                "count needs a request: ScopedValue.where(RequestContext.CURRENT, context).call(...)"));
        String name = current.request();
        int subtasks = request.increments();
        // All of the request's permits or none, at once: a request that does not fit is refused now, never queued.
        if (!budget.tryAcquire(subtasks)) {
            return new Outcome.Overloaded(subtasks, maxSubtasks);
        }
        AtomicLong counter = new AtomicLong(request.start());
        boolean brief = isBrief(request);
        long began = System.nanoTime();

        // The scope is the request. allSuccessfulOrThrow: wait for every subtask, but if one fails, cancel the others
        // at once (a count whose answer can no longer be right is not worth finishing). withTimeout: counted from
        // open(); when it is up, the scope is cancelled and join() throws TimeoutException. A brief request gets no
        // timer: the JDK sets one on the common pool's delay scheduler and cancels it at join, which wakes that
        // scheduler's thread twice and costs more than the whole request; and a brief request ends anyway.
        // The live view's record of the scope (for its thread dump) makes the scope's threads: it closes after the
        // scope, once join() and close() have seen every one of them end.
        try (var increments = current.watcher().scope(name, threads.factory(name + "/increment-"));
             var scope = StructuredTaskScope.open(
                     Joiner.<Duration>allSuccessfulOrThrow(),
                     config -> {
                         var named = config.withName(name).withThreadFactory(increments);
                         return brief ? named : named.withTimeout(timeout);
                     })) {

            for (int i = 1; i <= subtasks; i++) {
                int index = i;
                int units = 1 + draws.nextInt(maxUnits);
                // fork() starts a new thread at once (none once the scope is cancelled), and the new thread inherits
                // this thread's scoped-value bindings. A parked virtual thread holds about 2 KB of heap.
                scope.fork(() -> {
                    // The subtask's thread was given the owner's binding by fork(): nobody passed it by hand.
                    RequestContext context = RequestContext.CURRENT.get();
                    long started = report.started(context, index, units);
                    try {
                        Duration busy = work.perform(units, context);
                        // Many increments of one request run at once: the one shared write is an atomic one.
                        report.done(context, index, started, busy, counter.incrementAndGet());
                        return busy;
                    } catch (InterruptedException | RuntimeException | Error e) {
                        // Cancelled or failed: stop without counting. Rethrown, so that the subtask ends as failed;
                        // on a failure allSuccessfulOrThrow cancels the siblings, and join() throws FailedException.
                        report.stopped(context, index, started, e);
                        throw e;
                    }
                });
            }

            // join() waits for every subtask to finish, or for the first failure, or for the timeout. A subtask's
            // actions happen-before the owner retrieves its result with Subtask.get (that is what the spec
            // promises): the counter is read after every result has been retrieved, so it holds every increment.
            Duration worked = scope.join().map(Subtask::get).reduce(Duration.ZERO, Duration::plus);
            long result = counter.get();
            if (result != request.expectedResult()) {
                throw new IllegalStateException(name + ": counted to " + result + ", expected "
                        + request.expectedResult());
            }
            return new Outcome.Counted(result, subtasks, Duration.ofNanos(System.nanoTime() - began), worked);
        } catch (StructuredTaskScope.TimeoutException e) {
            return new Outcome.TimedOut(timeout);
        } catch (StructuredTaskScope.FailedException e) {
            return new Outcome.Failed(e.getCause());
        } finally {
            // The scope is closed before catch and finally run, and close() waits until every subtask has stopped
            // (a subtask that finishes after the cancellation has its outcome dropped; the joiner decided once).
            // No thread of this request is left, so its permits are free again.
            budget.release(subtasks);
        }
    }

    /**
     * True if {@code request} ends within about a millisecond whatever its draws: at most
     * {@value #BRIEF_SUBTASKS} subtasks, and their work at its largest is brief. The server answers such a request on
     * the connection's own thread, without a hand-off to a worker: the request is over before a hand-off would be.
     */
    public boolean isBrief(Request.Count request) {
        return request.increments() <= briefIncrements;
    }

    /** Live counts of subtasks: how many run now, how many finished, how many stopped without counting. */
    public SubtaskGauge subtasks() {
        return gauge;
    }

    /** Subtasks the budget has room for now. */
    int freeBudget() {
        return budget.availablePermits();
    }

    /** Stops the fair CPU pool's threads, if any. */
    @Override
    public void close() {
        if (work instanceof Work.FairSpin fair) {
            fair.pool().close();
        }
    }
}
