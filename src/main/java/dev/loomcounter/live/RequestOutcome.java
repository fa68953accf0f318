package dev.loomcounter.live;

/** How a request's scope ended, as the page and {@code /metrics} name it. */
public enum RequestOutcome {
    /** join() returned and the answer was sent. */
    ANSWERED("answered"),
    /** The scope's timeout cancelled it. */
    TIMED_OUT("timeout"),
    /**
     * The scope was cancelled before it could answer: its connection ended first (hang-up, STOP, shutdown), or a
     * subtask failed and took its siblings with it.
     */
    CANCELLED("cancelled");

    private final String label;

    RequestOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
