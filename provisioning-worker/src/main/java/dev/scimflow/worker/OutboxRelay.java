package dev.scimflow.worker;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.annotation.PreDestroy;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.scimflow.store.Outbox;

/**
 * Publishes the outbox to Kafka and removes what the broker acknowledged: on its own thread as soon as changes
 * commit (requests made while one is pending coalesce, so a burst of changes is published in a few batches), and
 * on a schedule for what a crash or a broker outage left behind. An entry is removed only after
 * its acknowledgement, so a fact may be published twice (consumers de-duplicate by event id) but never lost.
 */
@Component
class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private static final int BATCH = 500;

    private final Outbox outbox;
    private final KafkaTemplate<String, byte[]> kafka;
    private final TransactionTemplate transaction;
    private final WorkerProperties properties;

    OutboxRelay(Outbox outbox, KafkaTemplate<String, byte[]> kafka, TransactionTemplate transaction, WorkerProperties properties) {
        this.outbox = outbox;
        this.kafka = kafka;
        this.transaction = transaction;
        this.properties = properties;
    }

    private final ExecutorService relay = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean requested = new AtomicBoolean();

    /** Publishes the outbox soon, off the caller's thread; a failure leaves it to the schedule. */
    void publishSoon() {
        if (requested.compareAndSet(false, true)) {
            relay.execute(() -> {
                requested.set(false);
                try {
                    publishPending();
                } catch (RuntimeException e) {
                    log.warn("outbox not published yet ({}); retried every {}", e.getMessage(), properties.outboxRelayInterval());
                }
            });
        }
    }

    @PreDestroy
    void stop() {
        relay.shutdown();
    }

    @Scheduled(fixedDelayString = "${scimflow.worker.outbox-relay-interval}")
    void publishLeftovers() {
        publishPending();
    }

    void publishPending() {
        Integer published;
        do {
            published = transaction.execute(status -> publishBatch());
        } while (published != null && published == BATCH);
    }

    private int publishBatch() {
        List<Outbox.Entry> entries = outbox.lockPending(BATCH);
        CompletableFuture<?>[] sends = entries.stream()
                .map(entry -> kafka.send(entry.topic(), entry.key(), entry.payload().getBytes(StandardCharsets.UTF_8)))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(sends).get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not acknowledge " + entries.size() + " outbox records", e);
        }
        outbox.remove(entries);
        return entries.size();
    }
}
