package dev.loomcounter.benchmarks.charts;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code benchmarks/open-loop.sh}'s chart: the latency-throughput curve of each server, p99 against the rate it
 * achieved, one point per step of the asked rate, with the 100 ms line that ends the run; from
 * {@code results/open-loop.json}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.loomcounter.benchmarks.charts.OpenLoopChart IN.json OUT.png}
 */
public final class OpenLoopChart {

    private static final Map<String, Color> COLOURS = Map.of(
            "virtual", ChartMaker.VIRTUAL, "go", ChartMaker.SEQUENTIAL, "netty_fanout", ChartMaker.POOL);

    private OpenLoopChart() {
    }

    public static void main(String[] args) throws IOException {
        JsonObject results;
        try (Reader reader = Files.newBufferedReader(Path.of(args[0]))) {
            results = JsonParser.parseReader(reader).getAsJsonObject();
        }
        XYSeriesCollection curves = new XYSeriesCollection();
        Map<String, JsonElement> servers = results.getAsJsonObject("servers").asMap();
        for (var server : servers.entrySet()) {
            JsonObject figures = server.getValue().getAsJsonObject();
            XYSeries curve = new XYSeries(figures.get("name").getAsString(), false);
            for (JsonElement element : figures.getAsJsonArray("points")) {
                JsonObject point = element.getAsJsonObject();
                // A step whose client failed has no figures: it is left out, not drawn at zero.
                if (isNumber(point, "rate_achieved") && isNumber(point, "p99_ms")) {
                    curve.add(point.get("rate_achieved").getAsDouble(), point.get("p99_ms").getAsDouble());
                }
            }
            curves.addSeries(curve);
        }
        double limit = results.get("p99_limit_ms").getAsDouble();
        JFreeChart chart = ChartFactory.createXYLineChart(
                String.format(Locale.ROOT, "%,d connections, open loop: p99 against the rate achieved",
                        results.get("clients").getAsInt()),
                "requests/s achieved", "p99 ms (log scale)", curves, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        // p99 goes from a few milliseconds to seconds past the knee: only a log scale shows both ends.
        LogAxis axis = new LogAxis("p99 ms (log scale)");
        axis.setSmallestValue(0.1);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        axis.setTickUnit(new NumberTickUnit(1)); // one tick a decade: 1, 10, 100, 1,000 ms
        plot.setRangeAxis(axis);
        ValueMarker line = new ValueMarker(limit, Color.DARK_GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        line.setLabel(String.format(Locale.ROOT, "p99 %.0f ms", limit));
        plot.addRangeMarker(line);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int series = 0;
        for (String server : servers.keySet()) {
            renderer.setSeriesPaint(series, COLOURS.getOrDefault(server, Color.BLACK));
            renderer.setSeriesStroke(series, new BasicStroke(2f));
            series++;
        }
        plot.setRenderer(renderer);
        ChartUtils.saveChartAsPNG(Path.of(args[1]).toFile(), chart, 900, 520);
    }

    private static boolean isNumber(JsonObject point, String field) {
        return point.has(field) && !point.get(field).isJsonNull();
    }
}
