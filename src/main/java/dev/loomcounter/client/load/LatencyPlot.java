package dev.loomcounter.client.load;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a load run as one PNG, two charts: above, latency over time (each second's p50, p99 and max), where a stall
 * shows as a spike at the moment it happened; below, the percentile distribution, where a tail shows as the curve
 * bending up on the right. Both latency axes are logarithmic: a tail is often a thousand times the median.
 */
final class LatencyPlot {

    private static final int WIDTH = 900;
    private static final int CHART_HEIGHT = 420;
    /** The smallest latency on a log axis: a reply faster than a microsecond is not one this client can measure. */
    private static final double FLOOR_MILLIS = 0.001;

    private LatencyPlot() {
    }

    static void write(LoadSummary summary, String title, Path file) throws IOException {
        // No display needed, not even an X server: charts are drawn into an image in memory.
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, 2 * CHART_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            JFreeChart overTime = overTime(summary);
            overTime.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 14)));
            overTime.draw(graphics, new Rectangle2D.Double(0, 0, WIDTH, CHART_HEIGHT));
            distribution(summary.latencies()).draw(graphics,
                    new Rectangle2D.Double(0, CHART_HEIGHT, WIDTH, CHART_HEIGHT));
        } finally {
            graphics.dispose();
        }
        try (var out = Files.newOutputStream(file)) {
            ImageIO.write(image, "png", out);
        }
    }

    private static JFreeChart overTime(LoadSummary summary) {
        XYSeries p50 = new XYSeries("p50");
        XYSeries p99 = new XYSeries("p99");
        XYSeries max = new XYSeries("max");
        for (LatencyTimeline.Second second : summary.timeline()) {
            p50.add(second.endSeconds(), millis(second.p50Nanos()));
            p99.add(second.endSeconds(), millis(second.p99Nanos()));
            max.add(second.endSeconds(), millis(second.maxNanos()));
        }
        XYSeriesCollection series = new XYSeriesCollection();
        series.addSeries(p50);
        series.addSeries(p99);
        series.addSeries(max);
        JFreeChart chart = ChartFactory.createXYLineChart(null, "seconds into the measured run",
                "latency in each second (ms)", series, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRangeAxis(decades("latency in each second (ms)", series.getRangeLowerBound(false),
                series.getRangeUpperBound(false)));
        // Lines for p50 and p99, points for max: in a second of few replies, max and p99 are the same reply.
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesLinesVisible(2, false);
        plot.setRenderer(renderer);
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        style(plot);
        return chart;
    }

    private static JFreeChart distribution(Histogram latencies) {
        XYSeries curve = new XYSeries("latency at percentile");
        for (HistogramIterationValue value : latencies.percentiles(5)) {
            double percentile = value.getPercentileLevelIteratedTo();
            if (percentile < 100) {
                // x = 1 / (1 - p): 50% is 2, 90% is 10, 99% is 100, 99.9% is 1,000: each nine gets the same width.
                curve.add(1 / (1 - percentile / 100), millis(value.getValueIteratedTo()));
            }
        }
        XYSeriesCollection series = new XYSeriesCollection(curve);
        JFreeChart chart = ChartFactory.createXYLineChart(null, "percentile", "latency (ms)", series,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis percentiles = decades("percentile", 1, curve.isEmpty() ? 10 : curve.getMaxX());
        percentiles.setNumberFormatOverride(new PercentileFormat());
        plot.setDomainAxis(percentiles);
        plot.setRangeAxis(decades("latency (ms)", series.getRangeLowerBound(false), series.getRangeUpperBound(false)));
        style(plot);
        return chart;
    }

    /** A log axis from the power of ten below {@code low} to the one above {@code high}, a tick at each. */
    private static LogAxis decades(String label, double low, double high) {
        LogAxis axis = new LogAxis(label);
        axis.setSmallestValue(FLOOR_MILLIS);
        double bottom = Double.isNaN(low) ? 1 : Math.pow(10, Math.floor(Math.log10(Math.max(FLOOR_MILLIS, low))));
        double top = Double.isNaN(high) ? 10 : Math.pow(10, Math.ceil(Math.log10(Math.max(FLOOR_MILLIS, high))));
        axis.setRange(bottom, Math.max(top, bottom * 10));
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setMinorTickCount(9);
        axis.setMinorTickMarksVisible(true);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        return axis;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    private static double millis(long nanos) {
        return Math.max(FLOOR_MILLIS, nanos / 1e6);
    }

    /** Labels the {@code 1 / (1 - p)} axis in percentiles: 10 is "90%", 1,000 is "99.9%". */
    private static final class PercentileFormat extends NumberFormat {

        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double number, StringBuffer target, FieldPosition position) {
            // As many decimals as the percentile needs and no more: 90, 99, 99.9.
            BigDecimal percentile = new BigDecimal(100 * (1 - 1 / number)).round(new MathContext(6));
            return target.append(percentile.stripTrailingZeros().toPlainString()).append('%');
        }

        @Override
        public StringBuffer format(long number, StringBuffer target, FieldPosition position) {
            return format((double) number, target, position);
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            throw new UnsupportedOperationException("labels only");
        }
    }
}
