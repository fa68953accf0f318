package dev.loomcounter.benchmarks.charts;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a JMH JSON result file ({@code -rf json}), with what the charts need and times in milliseconds.
 *
 * @param benchmarkClass the benchmark's simple class name, e.g. {@code ForkJoinCost}
 * @param method         the benchmark method, e.g. {@code request}
 * @param params         its {@code @Param} values by name
 * @param millis         the score (the mean time per operation), in ms
 * @param errorMillis    JMH's error of the score: half the 99.9% confidence interval, in ms
 * @param percentiles    for {@code Mode.SampleTime}: "50.0", "99.0", ... to ms; empty otherwise
 * @param samples        measurements behind the score (iterations, or samples for SampleTime)
 */
record JmhResult(String benchmarkClass, String method, Map<String, String> params, double millis, double errorMillis,
                 Map<String, Double> percentiles, long samples, Run run) {

    /** How the numbers were obtained, for the charts' subtitles and the summary. */
    record Run(String jdk, int forks, int warmupIterations, String warmupTime, int measurementIterations,
               String measurementTime) {

        String describe() {
            return "JDK " + jdk + "; " + forks + " fork(s) × " + measurementIterations + " × " + measurementTime
                    + " measured after " + warmupIterations + " × " + warmupTime + " warm-up";
        }
    }

    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException(benchmarkClass + "." + method + " has no parameter " + name);
        }
        return value;
    }

    int intParam(String name) {
        return Integer.parseInt(param(name));
    }

    double percentileMillis(String percentile) {
        Double value = percentiles.get(percentile);
        if (value == null) {
            throw new IllegalArgumentException(benchmarkClass + "." + method + " has no percentile " + percentile
                    + " (not a SampleTime result?)");
        }
        return value;
    }

    static List<JmhResult> read(Path json) throws IOException {
        List<JmhResult> results = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            for (JsonElement element : JsonParser.parseReader(reader).getAsJsonArray()) {
                results.add(of(element.getAsJsonObject()));
            }
        }
        return results;
    }

    private static JmhResult of(JsonObject row) {
        String benchmark = row.get("benchmark").getAsString();
        String[] parts = benchmark.split("\\.");
        Map<String, String> params = new LinkedHashMap<>();
        if (row.has("params")) {
            row.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
        }
        JsonObject metric = row.getAsJsonObject("primaryMetric");
        double toMillis = toMillis(metric.get("scoreUnit").getAsString());
        Map<String, Double> percentiles = new LinkedHashMap<>();
        if (row.get("mode").getAsString().equals("sample")) {
            metric.getAsJsonObject("scorePercentiles").entrySet()
                    .forEach(e -> percentiles.put(e.getKey(), e.getValue().getAsDouble() * toMillis));
        }
        Run run = new Run(row.get("jdkVersion").getAsString(), row.get("forks").getAsInt(),
                row.get("warmupIterations").getAsInt(), row.get("warmupTime").getAsString(),
                row.get("measurementIterations").getAsInt(), row.get("measurementTime").getAsString());
        return new JmhResult(parts[parts.length - 2], parts[parts.length - 1], params,
                metric.get("score").getAsDouble() * toMillis, errorOf(metric) * toMillis, percentiles,
                samples(metric), run);
    }

    /** JMH writes "NaN" as the error when there were too few measurements for one. */
    private static double errorOf(JsonObject metric) {
        JsonElement error = metric.get("scoreError");
        return error.isJsonPrimitive() && error.getAsJsonPrimitive().isNumber() ? error.getAsDouble() : Double.NaN;
    }

    /** Iterations (avgt: one score each) or samples (SampleTime: one time per operation). */
    private static long samples(JsonObject metric) {
        long count = 0;
        if (metric.has("rawDataHistogram")) {
            for (JsonElement fork : metric.getAsJsonArray("rawDataHistogram")) {
                for (JsonElement iteration : fork.getAsJsonArray()) {
                    for (JsonElement bucket : iteration.getAsJsonArray()) {
                        count += bucket.getAsJsonArray().get(1).getAsLong();
                    }
                }
            }
        } else {
            for (JsonElement fork : metric.getAsJsonArray("rawData")) {
                count += fork.getAsJsonArray().size();
            }
        }
        return count;
    }

    private static double toMillis(String unit) {
        return switch (unit) {
            case "ns/op" -> 1e-6;
            case "us/op" -> 1e-3;
            case "ms/op" -> 1.0;
            case "s/op" -> 1e3;
            default -> throw new IllegalArgumentException("not a time per operation: " + unit
                    + " (run the benchmarks in avgt or sample mode)");
        };
    }
}
