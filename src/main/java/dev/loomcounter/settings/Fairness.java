package dev.loomcounter.settings;

/** Whether CPU-bound subtasks take fair turns, or go straight onto the scheduler. */
public enum Fairness {
    /** A fair CPU pool: as many slices at once as cores, round-robin by request; I/O is never starved. */
    ON,
    /** No pool: the default virtual-thread scheduler alone, to see (and measure) the starvation. */
    OFF
}
