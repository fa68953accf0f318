package dev.loomcounter.client.hold;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This process's memory right now: its resident set (what the operating system really gives it, Linux only) and the
 * Java heap in use (where virtual threads keep their stacks while they are parked).
 */
record MemoryUse(OptionalLong residentBytes, long heapUsedBytes) {

    private static final Path STATUS = Path.of("/proc/self/status");

    /**
     * Measures after asking for a full collection: "heap used" should count what is live (the parked threads, their
     * sockets), not the garbage that opening them left behind. Once per run, so the pause does not matter.
     */
    static MemoryUse afterCollection() {
        System.gc();
        return new MemoryUse(residentSetSize(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    /** The {@code VmRSS:   123456 kB} line of /proc/self/status; empty where there is no such file. */
    private static OptionalLong residentSetSize() {
        try (var lines = Files.lines(STATUS)) {
            return lines.filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1_024)
                    .findFirst();
        } catch (IOException | UnsupportedOperationException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public String toString() {
        String rss = residentBytes.isPresent() ? String.format("%,d MB", residentBytes.getAsLong() >> 20) : "unknown";
        return "RSS " + rss + ", heap used " + String.format("%,d MB", heapUsedBytes >> 20);
    }
}
