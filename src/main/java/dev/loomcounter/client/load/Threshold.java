package dev.loomcounter.client.load;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;

/**
 * A limit a load run must keep, as k6 writes its thresholds: {@code p99<50ms}, {@code max<=1s}, {@code errors<1%}.
 * Checked once, at the end of the run; one that is crossed fails the run with its own exit code, which is what lets a
 * CI job fail on a slow server, not only on a broken one.
 *
 * @param expression the limit as written, for the summary and the JSON
 * @param limit      in milliseconds for a latency, in percent for {@code errors}
 */
public record Threshold(String expression, Statistic statistic, Comparison comparison, double limit) {

    private static final Pattern SYNTAX = Pattern.compile(
            "(p[0-9]{1,3}(?:\\.[0-9]+)?|min|max|mean|stddev|errors)\\s*(<=|<|>=|>)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(us|ms|s|%)");

    /** What a threshold limits: a figure of the measured latencies, or the share of requests that failed. */
    public sealed interface Statistic {
        /** The latency at this percentile, e.g. 99 for {@code p99}. */
        record Percentile(double percentile) implements Statistic {
        }

        record Min() implements Statistic {
        }

        record Max() implements Statistic {
        }

        record Mean() implements Statistic {
        }

        record StdDev() implements Statistic {
        }

        /** Failed requests (wrong, ERR, timed out, lost with their connection) per request made, in percent. */
        record ErrorRate() implements Statistic {
        }
    }

    /** How the run's figure must compare with the limit. */
    public enum Comparison {
        BELOW("<"), AT_MOST("<="), ABOVE(">"), AT_LEAST(">=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double value, double limit) {
            return switch (this) {
                case BELOW -> value < limit;
                case AT_MOST -> value <= limit;
                case ABOVE -> value > limit;
                case AT_LEAST -> value >= limit;
            };
        }

        static Comparison of(String symbol) {
            for (Comparison comparison : values()) {
                if (comparison.symbol.equals(symbol)) {
                    return comparison;
                }
            }
            throw new IllegalArgumentException("no comparison " + symbol);
        }
    }

    /**
     * How a run did against one threshold.
     *
     * @param value the run's figure, in the threshold's unit; empty if the run had none (no replies to measure)
     */
    public record Verdict(Threshold threshold, OptionalDouble value, boolean passed) {
    }

    /** Reads {@code p99<50ms}: a statistic, a comparison, a number and its unit (us, ms, s for latencies; %). */
    public static Threshold parse(String text) {
        Matcher matcher = SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a threshold: write a statistic (p50, p99, p99.9, "
                    + "min, max, mean, stddev, errors), a comparison (<, <=, >, >=) and a limit with its unit, "
                    + "e.g. p99<50ms, max<=1s, errors<1%");
        }
        String name = matcher.group(1);
        Statistic statistic = switch (name) {
            case "min" -> new Statistic.Min();
            case "max" -> new Statistic.Max();
            case "mean" -> new Statistic.Mean();
            case "stddev" -> new Statistic.StdDev();
            case "errors" -> new Statistic.ErrorRate();
            default -> new Statistic.Percentile(Double.parseDouble(name.substring(1)));
        };
        if (statistic instanceof Statistic.Percentile(double percentile) && !(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("'" + text + "': a percentile is more than 0 and at most 100");
        }
        double number = Double.parseDouble(matcher.group(3));
        String unit = matcher.group(4);
        boolean rate = statistic instanceof Statistic.ErrorRate;
        if (rate != unit.equals("%")) {
            throw new IllegalArgumentException("'" + text + "': " + (rate ? "errors is a share, in %, e.g. errors<1%"
                    : name + " is a latency, in us, ms or s, e.g. " + name + "<50ms"));
        }
        double limit = switch (unit) {
            case "us" -> number / 1e3;
            case "s" -> number * 1e3;
            default -> number; // ms, or %
        };
        return new Threshold(text.strip(), statistic, Comparison.of(matcher.group(2)), limit);
    }

    /** {@code ms} or {@code %}: the unit of {@link #limit} and of a verdict's value. */
    String unit() {
        return statistic instanceof Statistic.ErrorRate ? "%" : "ms";
    }

    /**
     * Judges a run: its latencies in nanoseconds, and its error rate in percent (empty if no request was made). A run
     * without the figure fails: a limit nobody measured is not a limit kept.
     */
    Verdict judge(Histogram latencies, OptionalDouble errorPercent) {
        boolean any = latencies.getTotalCount() > 0;
        OptionalDouble value = switch (statistic) {
            case Statistic.Percentile(double percentile) ->
                    any ? OptionalDouble.of(latencies.getValueAtPercentile(percentile) / 1e6) : OptionalDouble.empty();
            case Statistic.Min() -> any ? OptionalDouble.of(latencies.getMinValue() / 1e6) : OptionalDouble.empty();
            case Statistic.Max() -> any ? OptionalDouble.of(latencies.getMaxValue() / 1e6) : OptionalDouble.empty();
            case Statistic.Mean() -> any ? OptionalDouble.of(latencies.getMean() / 1e6) : OptionalDouble.empty();
            case Statistic.StdDev() ->
                    any ? OptionalDouble.of(latencies.getStdDeviation() / 1e6) : OptionalDouble.empty();
            case Statistic.ErrorRate() -> errorPercent;
        };
        return new Verdict(this, value, value.isPresent() && comparison.holds(value.getAsDouble(), limit));
    }

    /** Lets picocli read {@code --threshold 'p99<50ms'}; bad syntax is a usage error, exit code 2. */
    public static final class Converter implements CommandLine.ITypeConverter<Threshold> {
        @Override
        public Threshold convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
