package dev.scimflow.bench;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * A latency distribution in milliseconds, read from an HdrHistogram recorded in microseconds: the summary
 * percentiles and a percentile curve for the report's chart.
 */
public record Latency(long samples, double mean, double p50, double p90, double p99, double p999, double max,
                      List<Point> curve) {

    /** One point of the percentile curve: {@code percentile} in [0, 100], {@code ms} the latency at it. */
    public record Point(double percentile, double ms) {
    }

    static final double[] CURVE_PERCENTILES = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

    public Latency {
        curve = curve == null ? List.of() : List.copyOf(curve);
    }

    public static Latency ofMicros(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0, 0, List.of());
        }
        List<Point> curve = new ArrayList<>();
        for (double percentile : CURVE_PERCENTILES) {
            curve.add(new Point(percentile, ms(micros.getValueAtPercentile(percentile))));
        }
        return new Latency(micros.getTotalCount(), round(micros.getMean() / 1000.0),
                ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()), curve);
    }

    /** A histogram of microseconds that holds up to ten minutes at three significant digits. */
    public static Histogram newMicrosHistogram() {
        return new Histogram(600_000_000L, 3);
    }

    private static double ms(long micros) {
        return round(micros / 1000.0);
    }

    private static double round(double ms) {
        return Math.round(ms * 1000.0) / 1000.0;
    }
}
