package dev.loomcounter.live;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code /metrics}: the JVM's standard families ({@link StandardFamilies}), the server's own ({@link Metrics}) and
 * pinning ({@link PinnedThreads}), read at the moment of the scrape and written by the Prometheus client's writer in
 * the text format 0.0.4, which every Prometheus and {@code promtool} reads.
 */
final class MetricsEndpoint implements AutoCloseable {

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private final Metrics server;
    private final PinnedThreads pinned = new PinnedThreads();

    MetricsEndpoint(Metrics server) {
        this.server = server;
    }

    String contentType() {
        return WRITER.getContentType();
    }

    byte[] scrape() throws IOException {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        StandardFamilies.scrape().forEach(all::metricSnapshot);
        server.collect().forEach(all::metricSnapshot);
        pinned.collect().forEach(all::metricSnapshot);
        ByteArrayOutputStream text = new ByteArrayOutputStream(32 * 1024);
        WRITER.write(text, all.build());
        return text.toByteArray();
    }

    /** Ends the pinning stream, if a scrape started one. */
    @Override
    public void close() {
        pinned.close();
    }
}
