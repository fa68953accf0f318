package dev.loomcounter.benchmarks;

import dev.loomcounter.counting.Outcome;
import dev.loomcounter.counting.RequestContext;
import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.WorkKind;
import dev.loomcounter.settings.WorkSettings;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/** The counting core as the benchmarks drive it: the work they give it, and the call as the server makes it. */
final class Bench {

    /** Room for the largest request of any benchmark: the budget never refuses one here. */
    static final int BUDGET = 1_000_000;

    private static final RequestContext CONTEXT = new RequestContext("bench", "bench");

    private Bench() {
    }

    /** Spin work of exactly one unit per subtask (maxUnits 1), so that every strategy does the same work. */
    static WorkSettings spin(long unitIterations) {
        return new WorkSettings(WorkKind.SPIN, unitIterations, Long.MAX_VALUE, Duration.ZERO, 1, OptionalLong.empty());
    }

    /** Sleep work of exactly one unit per subtask. */
    static WorkSettings sleep(Duration unit) {
        return new WorkSettings(WorkKind.SLEEP, 0, Long.MAX_VALUE, unit, 1, OptionalLong.empty());
    }

    /** One request counted as the server counts it, the context bound; any outcome but a count is an error. */
    static long count(RequestCounter counter, Request.Count request, RandomGenerator draws)
            throws InterruptedException {
        Outcome outcome = ScopedValue.where(RequestContext.CURRENT, CONTEXT).call(() -> counter.count(request, draws));
        if (outcome instanceof Outcome.Counted counted) {
            return counted.result();
        }
        throw new IllegalStateException("bench: " + outcome);
    }
}
