package dev.scimflow.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * When each request of an open-loop run is due: request {@code i} at {@code start + i / rate}, whatever happened to
 * the ones before. Latency is taken from that intended time, so a stalled server is charged for the requests that
 * should have been sent during the stall (no coordinated omission).
 */
final class Pacer {

    private final long startNanos;
    private final double intervalNanos;

    Pacer(long startNanos, double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1_000_000_000.0 / ratePerSecond;
    }

    long intendedNanos(long index) {
        return startNanos + (long) (index * intervalNanos);
    }

    /** How many requests are due by {@code nanos}. */
    long dueBy(long nanos) {
        return nanos < startNanos ? 0 : (long) ((nanos - startNanos) / intervalNanos) + 1;
    }

    static void sleepUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
