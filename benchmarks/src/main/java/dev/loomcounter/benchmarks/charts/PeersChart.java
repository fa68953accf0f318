package dev.loomcounter.benchmarks.charts;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * {@code benchmarks/peers.sh}'s chart: requests/s, p99 latency and the server's CPU per request by load, then KiB of
 * RSS per idle connection, for loom-counter on virtual and on platform threads, the Go peer and the two Netty peers,
 * from {@code results/peers.json}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.loomcounter.benchmarks.charts.PeersChart IN.json OUT.png}
 */
public final class PeersChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 340;
    private static final List<String> SERVERS = List.of("virtual", "platform", "go", "netty_fanout", "netty_inline");
    private static final Map<String, String> NAMES = Map.of(
            "virtual", "loom-counter, virtual threads", "platform", "loom-counter, platform threads", "go", "Go peer",
            "netty_fanout", "Netty, fan-out", "netty_inline", "Netty, inline");
    /** One colour per server, whichever of them a run has: the series index alone would shift when one is absent. */
    private static final Map<String, Color> COLOURS = Map.of(
            "virtual", ChartMaker.VIRTUAL, "platform", ChartMaker.PLATFORM, "go", ChartMaker.SEQUENTIAL,
            "netty_fanout", ChartMaker.POOL, "netty_inline", new Color(0xff7f0e));

    private PeersChart() {
    }

    public static void main(String[] args) throws IOException {
        JsonObject results;
        try (Reader reader = Files.newBufferedReader(Path.of(args[0]))) {
            results = JsonParser.parseReader(reader).getAsJsonObject();
        }
        DefaultCategoryDataset throughput = new DefaultCategoryDataset();
        DefaultCategoryDataset p99 = new DefaultCategoryDataset();
        DefaultCategoryDataset cpu = new DefaultCategoryDataset();
        for (JsonElement element : results.getAsJsonArray("loads")) {
            JsonObject row = element.getAsJsonObject();
            String load = String.format(Locale.ROOT, "%,d conns, x %d", row.get("conns").getAsInt(),
                    row.get("increments").getAsInt());
            for (String server : SERVERS) {
                if (row.has(server) && row.get(server).isJsonObject()) {
                    JsonObject figures = row.getAsJsonObject(server);
                    throughput.addValue(figures.get("requests_per_s").getAsDouble(), NAMES.get(server), load);
                    p99.addValue(figures.get("p99_ms").getAsDouble(), NAMES.get(server), load);
                    if (figures.has("cpu_us_per_request") && !figures.get("cpu_us_per_request").isJsonNull()) {
                        cpu.addValue(figures.get("cpu_us_per_request").getAsDouble(), NAMES.get(server), load);
                    }
                }
            }
        }
        DefaultCategoryDataset memory = new DefaultCategoryDataset();
        JsonObject hold = results.getAsJsonObject("hold");
        for (String server : SERVERS) {
            if (hold.has(server)) {
                JsonObject held = hold.getAsJsonObject(server);
                memory.addValue(held.get("kib_per_connection").getAsDouble(), NAMES.get(server),
                        String.format(Locale.ROOT, "%,d idle connections", held.get("conns").getAsInt()));
            }
        }
        List<JFreeChart> charts = List.of(
                bars("Requests per second (higher is better)", "requests/s", throughput),
                logarithmic(bars("p99 latency (lower is better; a log scale)", "ms", p99)),
                logarithmic(bars("Server CPU per request (lower is better; a log scale)", "µs", cpu)),
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
     * Platform threads' p99 (and CPU per request) is a hundred to a thousand times the others' under these loads: on a linear axis, virtual threads' and
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
        for (String server : SERVERS) {
            int series = data.getRowIndex(NAMES.get(server));
            if (series >= 0) {
                chart.getCategoryPlot().getRenderer().setSeriesPaint(series, COLOURS.get(server));
            }
        }
        return chart;
    }
}
