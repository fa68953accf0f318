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

    public LoadOutput {
        Objects.requireNonNull(histogram, "histogram");
        Objects.requireNonNull(plot, "plot");
    }
}
