package dev.scimflow.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import java.util.function.Consumer;

/**
 * Creates the users the measured run works on, through the pipeline like any create: {@code concurrency} POSTs in
 * flight, spread over the tenants in turn. A 429 (the per-tenant rate limit) is sent again after a pause and counted,
 * not taken as an error.
 */
final class Preload {

    private static final long RETRY_PAUSE_MILLIS = 250;

    private final Workload workload;
    private final List<Tenant> tenants;
    private final int concurrency;
    private final Consumer<String> progress;

    Preload(Workload workload, List<Tenant> tenants, int concurrency, Consumer<String> progress) {
        this.workload = workload;
        this.tenants = List.copyOf(tenants);
        this.concurrency = concurrency;
        this.progress = progress;
    }

    BenchResults.Preload run(long users) throws InterruptedException {
        OperationStats stats = new OperationStats(Operation.CREATE);
        Semaphore slots = new Semaphore(concurrency);
        AtomicLong created = new AtomicLong();
        AtomicLong retried = new AtomicLong();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-preload");
            thread.setDaemon(true);
            return thread;
        });
        long start = System.nanoTime();
        timer.scheduleAtFixedRate(() -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.accept(String.format(Locale.ROOT, "preload: %d/%d users, %.0f creates/s", created.get(), users,
                    created.get() / seconds));
        }, 5, 5, TimeUnit.SECONDS);
        try {
            for (long i = 0; i < users; i++) {
                slots.acquire();
                Tenant tenant = tenants.get((int) (i % tenants.size()));
                createOne(tenant, stats, created, retried, timer).whenComplete((ignored, failure) -> slots.release());
            }
            slots.acquire(concurrency);
        } finally {
            timer.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        BenchResults.OperationResult result = stats.result(seconds);
        return new BenchResults.Preload(users, created.get(), result.errors(), retried.get(), concurrency,
                Math.round(seconds * 100.0) / 100.0, Math.round(created.get() / seconds * 10.0) / 10.0, result.latencyMs());
    }

    private CompletableFuture<Void> createOne(Tenant tenant, OperationStats stats, AtomicLong created, AtomicLong retried,
                                              ScheduledExecutorService timer) {
        long sentAt = System.nanoTime();
        return workload.create(tenant, ThreadLocalRandom.current()).thenCompose(sent -> {
            if (sent.reply().status() == 429) {
                retried.incrementAndGet();
                CompletableFuture<Void> again = new CompletableFuture<>();
                timer.schedule(() -> createOne(tenant, stats, created, retried, timer).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        again.completeExceptionally(failure);
                    } else {
                        again.complete(null);
                    }
                }), RETRY_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                return again;
            }
            stats.record(sent.reply().outcome(), System.nanoTime() - sentAt);
            if (sent.reply().ok()) {
                created.incrementAndGet();
            }
            return CompletableFuture.completedFuture(null);
        });
    }
}
