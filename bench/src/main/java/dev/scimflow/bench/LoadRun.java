package dev.scimflow.bench;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import java.util.function.Consumer;

/**
 * The measured run: requests in the proportions of the mix, either open loop at a fixed rate (at most
 * {@code maxInFlight} outstanding; a request that waits for a slot is still timed from its intended send time) or
 * closed loop with {@code maxInFlight} requests always outstanding.
 */
final class LoadRun {

    /** What the run came to; {@code unfinished} requests had no answer when the run gave up waiting. */
    record Outcome(Map<Operation, OperationStats> stats, double seconds, long sent, long unfinished) {
    }

    private final Workload workload;
    private final OperationMix mix;
    private final Double rate;
    private final int maxInFlight;
    private final Duration duration;
    private final Duration drain;
    private final AuditLag lag;
    private final Consumer<String> progress;

    LoadRun(Workload workload, OperationMix mix, Double rate, int maxInFlight, Duration duration, Duration drain,
            AuditLag lag, Consumer<String> progress) {
        this.workload = workload;
        this.mix = mix;
        this.rate = rate;
        this.maxInFlight = maxInFlight;
        this.duration = duration;
        this.drain = drain;
        this.lag = lag;
        this.progress = progress;
    }

    Outcome run() throws InterruptedException {
        Map<Operation, OperationStats> stats = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            stats.put(operation, new OperationStats(operation));
        }
        Semaphore slots = new Semaphore(maxInFlight);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        Pacer pacer = rate != null ? new Pacer(start, rate) : null;
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-progress");
            thread.setDaemon(true);
            return thread;
        });
        AtomicLong sentCounter = new AtomicLong();
        reporter.scheduleAtFixedRate(() -> progress.accept(String.format(java.util.Locale.ROOT,
                "%3d s: %d sent, %d answered (%d errors), %d in flight",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), sentCounter.get(), done.get(), errors.get(),
                maxInFlight - slots.availablePermits())), 5, 5, TimeUnit.SECONDS);
        try {
            for (long index = 0;; index++) {
                long intended;
                if (pacer != null) {
                    intended = pacer.intendedNanos(index);
                    if (intended >= end) {
                        break;
                    }
                    Pacer.sleepUntil(intended);
                    slots.acquire();
                } else {
                    slots.acquire();
                    intended = System.nanoTime();
                    if (intended >= end) {
                        slots.release();
                        break;
                    }
                }
                sentCounter.incrementAndGet();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                Operation wanted = mix.pick(random.nextDouble());
                workload.send(wanted, random).whenComplete((sent, failure) -> {
                    long finished = System.nanoTime();
                    // the slot is given back once the answer is counted: the drain below then waits for the last count
                    try {
                        record(wanted, sent, failure, finished - intended, finished, stats, errors);
                    } finally {
                        done.incrementAndGet();
                        slots.release();
                    }
                });
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            boolean drained = slots.tryAcquire(maxInFlight, drain.toMillis(), TimeUnit.MILLISECONDS);
            long unfinished = drained ? 0 : maxInFlight - slots.availablePermits();
            return new Outcome(stats, seconds, sentCounter.get(), unfinished);
        } finally {
            reporter.shutdownNow();
        }
    }

    private void record(Operation wanted, Workload.Sent sent, Throwable failure, long latencyNanos, long finished,
                        Map<Operation, OperationStats> stats, AtomicLong errors) {
        if (failure != null) {
            errors.incrementAndGet();
            stats.get(wanted).record(OperationStats.IO_ERROR, latencyNanos);
            return;
        }
        if (!sent.reply().ok()) {
            errors.incrementAndGet();
        }
        OperationStats operation = stats.get(sent.operation());
        operation.record(sent.reply().outcome(), latencyNanos, sent.reply().requestId());
        if (sent.reply().ok() && !sent.changesState()) {
            operation.recordUnchanged();
        }
        if (lag != null && sent.operation() == Operation.DEACTIVATE && sent.reply().ok() && sent.changesState()) {
            lag.track(sent.tenant(), sent.user(), finished, latencyNanos);
        }
    }
}
