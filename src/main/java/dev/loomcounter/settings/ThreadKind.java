package dev.loomcounter.settings;

import java.util.concurrent.ThreadFactory;

/**
 * Which threads serve connections and run subtasks. One binary shows both, so the difference can be measured
 * rather than believed.
 */
public enum ThreadKind {
    /** Cheap threads scheduled by the JDK onto a few carrier (platform) threads; blocking parks them, freeing the carrier. */
    VIRTUAL,
    /** One operating-system thread each, with its own stack: the classic thread-per-connection server. */
    PLATFORM;

    /**
     * A factory of threads named {@code prefix1}, {@code prefix2}, ...: names show up in logs and thread dumps,
     * where a thread id alone would tell a reader nothing.
     */
    public ThreadFactory factory(String prefix) {
        return switch (this) {
            case VIRTUAL -> Thread.ofVirtual().name(prefix, 1).factory();
            case PLATFORM -> Thread.ofPlatform().name(prefix, 1).factory();
        };
    }

    public String description() {
        return name().toLowerCase() + " threads";
    }
}
