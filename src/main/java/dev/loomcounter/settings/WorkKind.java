package dev.loomcounter.settings;

/** What a subtask does for each unit of work before it increments the counter. */
public enum WorkKind {
    /** A CPU busy loop: it holds its thread (and, for a virtual thread, its carrier) the whole time. */
    SPIN,
    /** A sleep: a virtual thread unmounts and frees its carrier; a platform thread just waits. */
    SLEEP
}
