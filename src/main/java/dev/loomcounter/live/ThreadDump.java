package dev.loomcounter.live;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON thread dump of this JVM, as {@code jcmd <pid> Thread.dump_to_file -format=json} writes it: every thread,
 * virtual ones included, grouped in their thread containers, so a {@code StructuredTaskScope} shows up as a node of
 * a tree (server, then conn-1, then conn-1/req-1 with its increments).
 */
final class ThreadDump {

    private ThreadDump() {
    }

    static String json() throws IOException {
        // dumpThreads writes only to a file that does not exist yet, named by an absolute path.
        Path directory = Files.createTempDirectory("loom-counter-threads");
        Path file = directory.resolve("threads.json");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toAbsolutePath().toString(), ThreadDumpFormat.JSON);
            return Files.readString(file, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }
}
