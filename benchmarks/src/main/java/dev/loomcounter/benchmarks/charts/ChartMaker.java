package dev.loomcounter.benchmarks.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Draws one PNG per benchmark from a JMH JSON file, and writes the same numbers as Markdown tables beside the JSON
 * ({@code results/full.json} gives {@code results/full.md}).
 *
 * <p>Run: {@code ./mvnw -f benchmarks/pom.xml compile exec:exec@charts} (reads {@code benchmarks/results/full.json},
 * writes into {@code benchmarks/results/}). Arguments: the JSON file and the output folder.
 *
 * <p>Every number drawn or written comes from the JSON; the only arithmetic is a division by a parameter (time per
 * subtask, requests per second) or of two scores (ratios). Error bars are JMH's: half the 99.9% confidence interval
 * of the mean. A ratio's error combines its two scores' relative errors in quadrature, an approximation that is good
 * while the errors are small, and says "noisy" when they are not. A benchmark missing from the file is skipped.
 */
public final class ChartMaker {

    static final Color VIRTUAL = new Color(0x1f77b4);
    static final Color PLATFORM = new Color(0xd62728);
    static final Color VIRTUAL_LIGHT = new Color(0xaec7e8);
    static final Color PLATFORM_LIGHT = new Color(0xff9896);
    static final Color POOL = new Color(0x2ca02c);
    static final Color SEQUENTIAL = new Color(0x7f7f7f);
    static final int WIDTH = 960;
    static final int HEIGHT = 600;

    private final Path out;
    /** The first line of machine.txt beside the JSON, if there is one: where the numbers were measured. */
    private final String machine;
    private final StringBuilder summary = new StringBuilder();

    private ChartMaker(Path out, String machine) {
        this.out = out;
        this.machine = machine;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ChartMaker <jmh-result.json> <output folder>");
            System.exit(2);
        }
        List<JmhResult> results = JmhResult.read(Path.of(args[0]));
        Path out = Files.createDirectories(Path.of(args[1]));
        Path machineFile = Path.of(args[0]).toAbsolutePath().resolveSibling("machine.txt");
        String machine = Files.exists(machineFile) ? Files.readAllLines(machineFile).getFirst() : "";
        ChartMaker maker = new ChartMaker(out, machine);
        Map<String, List<JmhResult>> byClass = results.stream()
                .collect(Collectors.groupingBy(JmhResult::benchmarkClass, LinkedHashMap::new, Collectors.toList()));
        maker.summary.append("<!-- Written by ChartMaker from ").append(Path.of(args[0]).getFileName())
                .append(": do not edit by hand. Errors: JMH's 99.9% confidence half-intervals. -->\n");
        maker.draw(byClass, "ForkJoinCost", maker::forkJoinCost);
        maker.draw(byClass, "CpuBoundRequests", maker::cpuBound);
        maker.draw(byClass, "BlockingRequests", maker::blocking);
        maker.draw(byClass, "EndToEnd", maker::endToEnd);
        maker.draw(byClass, "Responsiveness", maker::responsiveness);
        // The tables sit beside the JSON they come from: results/full.json -> results/full.md.
        Path json = Path.of(args[0]);
        Path tables = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        Files.writeString(tables, maker.summary);
        System.out.println("wrote " + tables);
    }

    private interface Drawing {
        String draw(List<JmhResult> results) throws IOException;
    }

    private void draw(Map<String, List<JmhResult>> byClass, String benchmarkClass, Drawing drawing)
            throws IOException {
        List<JmhResult> results = byClass.get(benchmarkClass);
        if (results == null) {
            System.out.println("no results for " + benchmarkClass + ": no chart");
            return;
        }
        String file = drawing.draw(results);
        System.out.println("wrote " + out.resolve(file));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. Fork/join cost: microseconds per subtask against subtasks per request, both axes logarithmic.

    private String forkJoinCost(List<JmhResult> all) throws IOException {
        // The chart is the scope owned by JMH's platform thread; the virtual owner's figures get a table of their own.
        List<JmhResult> results = all.stream().filter(r -> r.method().equals("request")).toList();
        List<JmhResult> virtualOwner = all.stream().filter(r -> r.method().equals("requestFromAVirtualOwner")).toList();
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        table("Fork/join cost (ForkJoinCost): one request, N subtasks doing nothing",
                "| subtasks | virtual: µs/request | virtual: µs/subtask | platform: µs/request | platform: µs/subtask | platform / virtual |",
                "|---:|---:|---:|---:|---:|---:|");
        for (String kind : List.of("VIRTUAL", "PLATFORM")) {
            YIntervalSeries series = new YIntervalSeries(label(kind) + " threads");
            for (JmhResult r : sorted(results, "kind", kind, "subtasks")) {
                int n = r.intParam("subtasks");
                series.add(n, micros(r.millis()) / n, lower(micros(r.millis()) / n, micros(r.errorMillis()) / n),
                        micros(r.millis() + r.errorMillis()) / n);
            }
            data.addSeries(series);
        }
        for (int n : paramValues(results, "subtasks")) {
            JmhResult v = find(results, Map.of("kind", "VIRTUAL", "subtasks", "" + n));
            JmhResult p = find(results, Map.of("kind", "PLATFORM", "subtasks", "" + n));
            row(n, micros(v, 1), micros(v, n), micros(p, 1), micros(p, n), ratio(p, v));
        }
        if (!virtualOwner.isEmpty()) {
            table("Fork/join cost (ForkJoinCost): the same request, its scope owned by a virtual thread (as in the server)",
                    "| subtasks | owner on a platform thread: µs/request | owner on a virtual thread: µs/request | platform / virtual owner |",
                    "|---:|---:|---:|---:|");
            for (int n : paramValues(results, "subtasks")) {
                JmhResult platformOwner = find(results, Map.of("kind", "VIRTUAL", "subtasks", "" + n));
                JmhResult owner = find(virtualOwner, Map.of("kind", "VIRTUAL", "subtasks", "" + n));
                row(n, micros(platformOwner, 1), micros(owner, 1), ratio(platformOwner, owner));
            }
        }
        XYPlot plot = xyPlot(data, logAxis("subtasks in the request"), logAxis("µs per subtask (mean ± 99.9% CI)"),
                VIRTUAL, PLATFORM);
        return save("fork-join-cost.png", chart("Fork + join of one subtask that does nothing", plot,
                 results));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. CPU-bound requests: wall time per subtask, grouped by request size, one bar per strategy.

    private String cpuBound(List<JmhResult> results) throws IOException {
        List<String> strategies = List.of("SEQUENTIAL", "VIRTUAL", "PLATFORM", "FIXED_POOL");
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        table("CPU-bound requests (CpuBoundRequests): N subtasks of the busy loop; ms per request, speed-up over sequential",
                "| subtasks | sequential | virtual | platform | fixed pool (1 thread/core) | speed-up virtual | speed-up platform | speed-up pool |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int n : paramValues(results, "subtasks")) {
            for (String strategy : strategies) {
                JmhResult r = find(results, Map.of("strategy", strategy, "subtasks", "" + n));
                data.add(r.millis() / n, r.errorMillis() / n, label(strategy), n + " subtasks");
            }
            JmhResult seq = find(results, Map.of("strategy", "SEQUENTIAL", "subtasks", "" + n));
            List<String> cells = new ArrayList<>(List.of("" + n));
            for (String strategy : strategies) {
                cells.add(millis(find(results, Map.of("strategy", strategy, "subtasks", "" + n))));
            }
            for (String strategy : strategies.subList(1, 4)) {
                cells.add(ratio(seq, find(results, Map.of("strategy", strategy, "subtasks", "" + n))));
            }
            row(cells.toArray());
        }
        NumberAxis range = new NumberAxis("ms of wall time per subtask (mean ± 99.9% CI)");
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("request size"), range,
                new StatisticalBarRenderer());
        style(plot, SEQUENTIAL, VIRTUAL, PLATFORM, POOL);
        return save("cpu-bound-requests.png", chart("CPU-bound requests: N subtasks of the busy loop, four ways", plot, results));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Blocking requests: ms per request against subtasks, with the length of one sleep marked.

    private String blocking(List<JmhResult> results) throws IOException {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        Map<String, String> methods = Map.of("virtualThreads", "VIRTUAL", "platformThreads", "PLATFORM");
        for (String method : List.of("virtualThreads", "platformThreads")) {
            YIntervalSeries series = new YIntervalSeries(label(methods.get(method)) + " threads");
            results.stream().filter(r -> r.method().equals(method))
                    .sorted(Comparator.comparingInt(r -> r.intParam("subtasks")))
                    .forEach(r -> series.add(r.intParam("subtasks"), r.millis(), lower(r.millis(), r.errorMillis()),
                            r.millis() + r.errorMillis()));
            data.addSeries(series);
        }
        table("Blocking requests (BlockingRequests): N subtasks each sleeping 100 ms; ms per request",
                "| subtasks | virtual | platform | platform / virtual |", "|---:|---:|---:|---:|");
        for (int n : paramValues(results, "subtasks")) {
            JmhResult v = findMethod(results, "virtualThreads", n);
            JmhResult p = findMethod(results, "platformThreads", n);
            row(n, v == null ? "not run" : millis(v), p == null ? "not run (see class comment)" : millis(p),
                    v == null || p == null ? "" : ratio(p, v));
        }
        XYPlot plot = xyPlot(data, logAxis("subtasks in the request, each sleeping 100 ms"),
                logAxis("ms per request (mean ± 99.9% CI)"), VIRTUAL, PLATFORM);
        ValueMarker oneSleep = new ValueMarker(100, SEQUENTIAL, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        oneSleep.setLabel("one sleep: 100 ms");
        oneSleep.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        oneSleep.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        oneSleep.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        plot.addRangeMarker(oneSleep);
        return save("blocking-requests.png", chart("Blocking requests: N subtasks that each sleep 100 ms", plot,
                 results));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. End to end: requests per second (top) and round time (bottom) against connections.

    private String endToEnd(List<JmhResult> results) throws IOException {
        YIntervalSeriesCollection throughput = new YIntervalSeriesCollection();
        YIntervalSeriesCollection latency = new YIntervalSeriesCollection();
        table("End to end (EndToEnd): C connections, one request `i 10` in flight on each; a round = all C answered",
                "| connections | threads | requests/s | round: mean ms | median ms | p99 ms | rounds sampled |",
                "|---:|---|---:|---:|---:|---:|---:|");
        for (String kind : List.of("VIRTUAL", "PLATFORM")) {
            YIntervalSeries perSecond = new YIntervalSeries(label(kind) + " threads");
            YIntervalSeries median = new YIntervalSeries(label(kind) + ": median round");
            YIntervalSeries p99 = new YIntervalSeries(label(kind) + ": 99th percentile round");
            for (JmhResult r : sorted(results, "kind", kind, "connections")) {
                int c = r.intParam("connections");
                double rate = c * 1000.0 / r.millis();
                double rateError = rate * r.errorMillis() / r.millis();
                perSecond.add(c, rate, lower(rate, rateError), rate + rateError);
                median.add(c, r.percentileMillis("50.0"), r.percentileMillis("50.0"), r.percentileMillis("50.0"));
                p99.add(c, r.percentileMillis("99.0"), r.percentileMillis("99.0"), r.percentileMillis("99.0"));
                row(c, label(kind), format(rate) + " ± " + format(rateError), millis(r),
                        format(r.percentileMillis("50.0")), format(r.percentileMillis("99.0")), r.samples());
            }
            throughput.addSeries(perSecond);
            latency.addSeries(median);
            latency.addSeries(p99);
        }
        // Linear, from zero: the gap between the two kinds is the point, and a log axis would shrink it.
        NumberAxis perSecondAxis = new NumberAxis("requests per second (mean ± 99.9% CI)");
        perSecondAxis.setAutoRangeIncludesZero(true);
        XYPlot top = xyPlot(throughput, null, perSecondAxis, VIRTUAL, PLATFORM);
        XYPlot bottom = xyPlot(latency, null, logAxis("round time, ms"), VIRTUAL, VIRTUAL, PLATFORM, PLATFORM);
        XYErrorRenderer dashed = (XYErrorRenderer) bottom.getRenderer();
        BasicStroke dash = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f);
        dashed.setSeriesStroke(1, dash);
        dashed.setSeriesStroke(3, dash);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(logAxis("connections, one request in flight on each"));
        plot.add(top, 1);
        plot.add(bottom, 1);
        plot.setGap(12);
        return save("end-to-end.png", chart("End to end: the real server on loopback, small requests `i 10`", plot,
                 results));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. Responsiveness: a tiny request's median and 99th percentile latency, idle server or busy with a big request.

    private String responsiveness(List<JmhResult> results) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        table("Responsiveness (Responsiveness): latency of a tiny request while `0 2000` (CPU-bound) runs on another"
                        + " connection (BUSY) or not (IDLE)",
                "| tiny request | server | fairness | threads | mean ms | median ms | p99 ms | requests sampled |",
                "|---|---|---|---|---:|---:|---:|---:|");
        for (String tiny : List.of("0 0", "1 5")) {
            for (String background : List.of("IDLE", "BUSY")) {
                for (String fairness : List.of("ON", "OFF")) {
                    String category = "`" + tiny + "` " + background.toLowerCase() + " fairness " + fairness.toLowerCase();
                    for (String kind : List.of("VIRTUAL", "PLATFORM")) {
                        JmhResult r = find(results, Map.of("tinyRequest", tiny, "background", background,
                                "fairness", fairness, "kind", kind));
                        data.addValue(r.percentileMillis("50.0"), label(kind) + ": median", category);
                        data.addValue(r.percentileMillis("99.0"), label(kind) + ": 99th percentile", category);
                        row("`" + tiny + "`", background.toLowerCase(), fairness.toLowerCase(), label(kind),
                                millis(r), format(r.percentileMillis("50.0")), format(r.percentileMillis("99.0")),
                                r.samples());
                    }
                }
            }
        }
        LogAxis range = logAxis("latency of the tiny request, ms");
        BarRenderer renderer = new BarRenderer();
        // Bars start at the axis' lower edge: a log axis has no zero to start from.
        renderer.setIncludeBaseInRange(false);
        CategoryAxis categories = new CategoryAxis("tiny request, what else the server runs, fairness");
        categories.setMaximumCategoryLabelLines(3); // eight categories: wrap their labels rather than cut them
        CategoryPlot plot = new CategoryPlot(data, categories, range, renderer);
        style(plot, VIRTUAL, VIRTUAL_LIGHT, PLATFORM, PLATFORM_LIGHT);
        return save("responsiveness.png", chart("Responsiveness: a tiny request next to a CPU-bound one", plot,
                 results));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Chart plumbing.

    private static XYPlot xyPlot(YIntervalSeriesCollection data, ValueAxis domain, ValueAxis range, Paint... paints) {
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(true);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        renderer.setCapLength(8);
        for (int i = 0; i < paints.length; i++) {
            renderer.setSeriesPaint(i, paints[i]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, domain, range, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static void style(CategoryPlot plot, Paint... paints) {
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        if (renderer instanceof StatisticalBarRenderer statistical) {
            statistical.setErrorIndicatorPaint(Color.BLACK);
        }
        for (int i = 0; i < paints.length; i++) {
            renderer.setSeriesPaint(i, paints[i]);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    /** Base 10, a labelled tick at every power of ten, and labels as the tables print numbers. */
    private static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setSmallestValue(1e-4);
        axis.setTickUnit(new NumberTickUnit(1.0));
        axis.setMinorTickCount(9);
        axis.setMinorTickMarksVisible(true);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.####"));
        return axis;
    }

    private JFreeChart chart(String title, org.jfree.chart.plot.Plot plot, List<JmhResult> results) {
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        chart.addSubtitle(new TextTitle(results.getFirst().run().describe(), small));
        if (!machine.isBlank()) {
            chart.addSubtitle(new TextTitle(machine, small));
        }
        return chart;
    }

    private String save(String file, JFreeChart chart) throws IOException {
        ChartUtils.saveChartAsPNG(out.resolve(file).toFile(), chart, WIDTH, HEIGHT);
        return file;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Data plumbing and the summary's Markdown.

    private static List<JmhResult> sorted(List<JmhResult> results, String param, String value, String by) {
        return results.stream().filter(r -> r.param(param).equals(value))
                .sorted(Comparator.comparingInt(r -> r.intParam(by))).toList();
    }

    private static List<Integer> paramValues(List<JmhResult> results, String param) {
        return new ArrayList<>(results.stream().map(r -> r.intParam(param))
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    private static JmhResult find(List<JmhResult> results, Map<String, String> params) {
        return results.stream()
                .filter(r -> params.entrySet().stream().allMatch(e -> e.getValue().equals(r.params().get(e.getKey()))))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for " + params));
    }

    private static JmhResult findMethod(List<JmhResult> results, String method, int subtasks) {
        return results.stream().filter(r -> r.method().equals(method) && r.intParam("subtasks") == subtasks)
                .findFirst().orElse(null);
    }

    /** A log axis cannot show zero or less: an error bar reaching below the value's hundredth is cut there. */
    private static double lower(double value, double error) {
        return Double.isNaN(error) ? value : Math.max(value - error, value / 100);
    }

    private static double micros(double millis) {
        return millis * 1000;
    }

    private static String micros(JmhResult r, int per) {
        return format(micros(r.millis()) / per) + " ± " + format(micros(r.errorMillis()) / per);
    }

    private static String millis(JmhResult r) {
        return format(r.millis()) + " ± " + format(r.errorMillis());
    }

    /** a / b, with the relative errors of a and b combined in quadrature. */
    private static String ratio(JmhResult a, JmhResult b) {
        double ratio = a.millis() / b.millis();
        double relative = Math.hypot(a.errorMillis() / a.millis(), b.errorMillis() / b.millis());
        return format(ratio) + "× ± " + format(ratio * relative);
    }

    /** Three significant digits, thousands separated: precision beyond that is noise on a shared machine. */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 100 || magnitude == 0) {
            return String.format("%,.0f", value);
        }
        int decimals = magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 2 - (int) Math.floor(Math.log10(magnitude));
        return String.format("%,." + decimals + "f", value);
    }

    private void table(String title, String header, String rule) {
        summary.append("\n### ").append(title).append("\n\n").append(header).append('\n').append(rule).append('\n');
    }

    private void row(Object... cells) {
        summary.append("| ").append(java.util.Arrays.stream(cells).map(String::valueOf)
                .collect(Collectors.joining(" | "))).append(" |\n");
    }

    private static String label(String kindOrStrategy) {
        return switch (kindOrStrategy) {
            case "VIRTUAL" -> "virtual";
            case "PLATFORM" -> "platform";
            case "FIXED_POOL" -> "fixed pool, 1 thread per core";
            case "SEQUENTIAL" -> "sequential, 1 thread";
            default -> kindOrStrategy.toLowerCase();
        };
    }
}
