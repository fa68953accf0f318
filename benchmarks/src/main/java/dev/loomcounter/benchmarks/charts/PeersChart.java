package dev.loomcounter.benchmarks.charts;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * {@code benchmarks/peers.sh}'s chart: requests/s and p99 latency by load, then KiB of RSS per idle connection, for
 * loom-counter on virtual and on platform threads and for the Go peer, from {@code results/peers.json}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.loomcounter.benchmarks.charts.PeersChart IN.json OUT.png}
 */
public final class PeersChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 360;
    private static final List<String> SERVERS = List.of("virtual", "platform", "go");
    private static final Map<String, String> NAMES = Map.of(
            "virtual", "loom-counter, virtual threads", "platform", "loom-counter, platform threads", "go", "Go peer");

    private PeersChart() {
    }

    public static void main(String[] args) throws IOException {
        JsonObject results;
        try (Reader reader = Files.newBufferedReader(Path.of(args[0]))) {
            results = JsonParser.parseReader(reader).getAsJsonObject();
        }
        DefaultCategoryDataset throughput = new DefaultCategoryDataset();
        DefaultCategoryDataset p99 = new DefaultCategoryDataset();
        for (JsonElement element : results.getAsJsonArray("loads")) {
            JsonObject row = element.getAsJsonObject();
            String load = row.get("conns").getAsInt() + " conns, x " + row.get("increments").getAsInt();
            for (String server : SERVERS) {
                if (row.has(server) && row.get(server).isJsonObject()) {
                    JsonObject figures = row.getAsJsonObject(server);
                    throughput.addValue(figures.get("requests_per_s").getAsDouble(), NAMES.get(server), load);
                    p99.addValue(figures.get("p99_ms").getAsDouble(), NAMES.get(server), load);
                }
            }
        }
        DefaultCategoryDataset memory = new DefaultCategoryDataset();
        JsonObject hold = results.getAsJsonObject("hold");
        for (String server : SERVERS) {
            if (hold.has(server)) {
                memory.addValue(hold.getAsJsonObject(server).get("kib_per_connection").getAsDouble(),
                        NAMES.get(server), "10,000 idle connections");
            }
        }
        List<JFreeChart> charts = List.of(
                bars("Requests per second (higher is better)", "requests/s", throughput),
                logarithmic(bars("p99 latency (lower is better; a log scale)", "ms", p99)),
                bars("Server RSS per idle connection (lower is better)", "KiB", memory));
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT * charts.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        for (int i = 0; i < charts.size(); i++) {
            graphics.drawImage(charts.get(i).createBufferedImage(WIDTH, HEIGHT), 0, i * HEIGHT, null);
        }
        graphics.dispose();
        ImageIO.write(image, "png", Path.of(args[1]).toFile());
    }

    /**
     * Platform threads' p99 is a thousand times the others' under these loads: on a linear axis, virtual threads' and
     * Go's bars would both be invisible, and so would the difference between them.
     */
    private static JFreeChart logarithmic(JFreeChart chart) {
        LogAxis axis = new LogAxis(chart.getCategoryPlot().getRangeAxis().getLabel());
        // Bars start at 1 ms, not at 0 (which a log scale cannot show), and the ticks read 1, 10, 100, 1,000.
        axis.setSmallestValue(1);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0"));
        ((BarRenderer) chart.getCategoryPlot().getRenderer()).setBase(1);
        chart.getCategoryPlot().setRangeAxis(axis);
        return chart;
    }

    private static JFreeChart bars(String title, String axis, DefaultCategoryDataset data) {
        JFreeChart chart = ChartFactory.createBarChart(title, null, axis, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.getCategoryPlot().getRenderer().setSeriesPaint(0, ChartMaker.VIRTUAL);
        chart.getCategoryPlot().getRenderer().setSeriesPaint(1, ChartMaker.PLATFORM);
        chart.getCategoryPlot().getRenderer().setSeriesPaint(2, ChartMaker.SEQUENTIAL);
        return chart;
    }
}
