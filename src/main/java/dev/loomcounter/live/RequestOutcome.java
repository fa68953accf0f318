package dev.loomcounter.live;

import dev.loomcounter.counting.Outcome;

/** How a request's scope ended, as the page and {@code /metrics} name it. */
public enum RequestOutcome {
    /** join() returned and the answer was sent. */
    ANSWERED("answered"),
    /** The scope's timeout cancelled it. */
    TIMED_OUT("timeout"),
    /** The scope was cancelled before it could answer: its connection ended first (hang-up, shutdown). */
    CANCELLED("cancelled"),
    /** A subtask failed, and the scope cancelled its siblings. */
    FAILED("failed"),
    /** Refused at once: its subtasks did not fit in the server's budget, and no scope was opened. */
    OVERLOADED("overloaded");

    private final String label;

    RequestOutcome(String label) {
        this.label = label;
    }

    /** The counting core's outcome, as the page names it; a switch without default, so a new kind cannot hide. */
    public static RequestOutcome of(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Counted _ -> ANSWERED;
            case Outcome.TimedOut _ -> TIMED_OUT;
            case Outcome.Failed _ -> FAILED;
            case Outcome.Overloaded _ -> OVERLOADED;
        };
    }

    public String label() {
        return label;
    }
}
