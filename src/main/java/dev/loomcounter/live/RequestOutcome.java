package dev.loomcounter.live;

/** How a request's scope ended, as the page and {@code /metrics} name it. */
public enum RequestOutcome {
    /** join() returned and the answer was sent. */
    ANSWERED("answered"),
    /** The scope's timeout cancelled it. */
    TIMED_OUT("timeout"),
    /** Its connection ended first (hang-up, STOP, shutdown): the scope was cancelled with it. */
    CANCELLED("cancelled"),
    /** A subtask failed, or the answer could not be sent. */
    FAILED("failed");

    private final String label;

    RequestOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
