package dev.loomcounter.benchmarks;

/**
 * A benchmark that measures a wrong answer measures nothing. Every benchmark here runs its operation once before it
 * is timed and compares the answer with the one it must be; a mismatch throws, and with {@code -foe true} (set by every
 * pass in {@code benchmarks/pom.xml}) JMH then stops and the command fails.
 */
final class Checks {

    private Checks() {
    }

    static void expect(String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": got " + actual + ", expected " + expected);
        }
    }

    static void expect(String what, String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException(what + ": got \"" + actual + "\", expected \"" + expected + "\"");
        }
    }
}
