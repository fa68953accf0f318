package dev.loomcounter.testing;

import java.time.Duration;

/** How long a test waits for what must happen: long enough for a loaded 2-core machine, never a measure of speed. */
public final class Patience {

    /** The most a test waits for an answer, a log line or a state; a wait that ends sooner costs nothing more. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private Patience() {
    }
}
