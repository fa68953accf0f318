package dev.loomcounter.client.load;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a load run's results go besides the summary.
 *
 * @param json      one JSON object on standard output, and nothing else there: the summary moves to standard error
 * @param histogram the latency distribution as an HdrHistogram {@code .hgrm} percentile file
 * @param plot      latency over time and the percentile distribution, as a PNG
 */
public record LoadOutput(boolean json, Optional<Path> histogram, Optional<Path> plot) {

    /** A class of the plot's library, looked up by name: this record must load without that library. */
    private static final String PLOT_LIBRARY_CLASS = "org.jfree.chart.JFreeChart";

    public LoadOutput {
        Objects.requireNonNull(histogram, "histogram");
        Objects.requireNonNull(plot, "plot");
    }

    /**
     * Why {@code --plot} cannot work here, if it cannot: the plot's library travels beside the jar, in {@code lib/},
     * not inside it, and a jar copied without that folder would otherwise find out only after the whole run.
     */
    public static Optional<String> plotUnavailable() {
        try {
            Class.forName(PLOT_LIBRARY_CLASS, false, LoadOutput.class.getClassLoader());
            return Optional.empty();
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.of("--plot needs the plot library (JFreeChart), which the build puts beside the jar in "
                    + "lib/: copy that folder along with the jar");
        }
    }
}
