package dev.scimflow.ssf.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.scimflow.ssf.EventsProperties;
import dev.scimflow.ssf.stream.StreamConfig;

/**
 * Delivers one push stream, on a thread of its own, while this instance holds the stream: reads {@code scim.events}
 * from the stream's positions, and POSTs each SET the stream asked for. The SETs of one resource are sent one after the
 * other, in the order their changes were applied; those of different resources are sent side by side, up to
 * {@code push.in-flight} at once. Reading does not wait for a poll's SETs to be delivered: each record is handed to its
 * resource's queue as it is read, so one slow POST holds back only the SETs of its own resource, never the whole stream
 * (at most {@code push.max-unacknowledged} SETs are read ahead of what the receiver took). A receiver that is down is
 * retried with back-off for as long as it takes, holding the stream's position; a SET it refuses for good is recorded
 * and passed. The position of a partition is its first record not yet delivered or recorded, saved at most every
 * {@code push.save-interval} and when the delivery stops, so a crash redelivers only SETs delivered since the last save
 * — the same SETs, with the same jtis.
 */
final class PushStream implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PushStream.class);

    /** Thrown out of a retry when the stream is being stopped: the SET in hand stays undelivered. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super(null, null, false, false);
        }
    }

    private final StreamConfig stream;
    private final PushDeliveryParts parts;
    private final EventsProperties properties;
    /** The stream's position per partition as saved; read and moved by the stream's own thread only. */
    private final Map<Integer, Long> positions = new HashMap<>();
    /** Per partition, the offset after the last record read, and the offsets read but not yet delivered or recorded. */
    private final Map<Integer, Long> readUpTo = new HashMap<>();
    private final Map<Integer, ConcurrentSkipListSet<Long>> unacknowledged = new HashMap<>();
    /** The last SET handed out per resource (record key): the next of that resource is sent after it. */
    private final Map<String, CompletableFuture<Void>> lastOfResource = new HashMap<>();
    private final Semaphore readAhead;
    private final ExecutorService senders;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile Thread thread;
    private long savedAt;

    PushStream(StreamConfig stream, PushDeliveryParts parts, EventsProperties properties) {
        this.stream = stream;
        this.parts = parts;
        this.properties = properties;
        this.readAhead = new Semaphore(properties.push().maxUnacknowledged());
        this.savedAt = System.nanoTime();
        this.senders = Executors.newFixedThreadPool(properties.push().inFlight(), runnable -> {
            Thread thread = new Thread(runnable, "push-" + stream.id() + "-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    StreamConfig stream() {
        return stream;
    }

    void start() {
        thread = new Thread(this, "push-" + stream.id());
        thread.setDaemon(true);
        thread.start();
    }

    boolean isAlive() {
        return thread != null && thread.isAlive();
    }

    /** Asks the delivery to stop and waits for it: it saves what it delivered and leaves the SETs in hand for later. */
    void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
            try {
                current.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        log.info("delivering stream {} of tenant {} to {}", stream.id(), stream.tenant(), stream.endpointUrl());
        try (Consumer<String, byte[]> reader = parts.topic().newReader("push-" + stream.id())) {
            List<TopicPartition> partitions = EventsTopic.partitions(reader);
            positions.putAll(parts.streams().positions(stream.id()));
            reader.assign(partitions);
            for (TopicPartition partition : partitions) {
                unacknowledged.put(partition.partition(), new ConcurrentSkipListSet<>());
                Long position = positions.get(partition.partition());
                if (position == null) {
                    // a partition added after the stream was created: from its beginning
                    reader.seekToBeginning(List.of(partition));
                } else {
                    reader.seek(partition, position);
                }
            }
            while (running) {
                deliverPending();
                ConsumerRecords<String, byte[]> records = reader.poll(Duration.ofMillis(200));
                handOut(records);
                RuntimeException failed = failure.get();
                if (failed != null) {
                    throw failed;
                }
                saveEvery(properties.push().saveInterval());
                long behind = 0;
                for (TopicPartition partition : partitions) {
                    behind += reader.currentLag(partition).orElse(0);
                }
                parts.metrics().behind(stream.id(), behind + unacknowledgedCount());
            }
        } catch (Stopping stopping) {
            // stopped while a SET was in hand: it is delivered next time, with the same jti
        } catch (RuntimeException e) {
            log.warn("delivery of stream {} stopped: {}; it is restarted from its saved position", stream.id(), e.toString());
        } finally {
            running = false;
            senders.shutdown();
            try {
                // the SETs in flight end (delivered, or given up on as the stream stops) before the position is saved
                senders.awaitTermination(properties.push().timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                saveEvery(Duration.ZERO);
            } catch (RuntimeException e) {
                log.warn("could not save the position of stream {}: {}", stream.id(), e.toString());
            }
        }
    }

    /**
     * Hands each record of the stream's tenant to the senders, after the previous SET of its resource; a record the
     * stream does not deliver moves the position by itself. Waits while {@code max-unacknowledged} SETs are out.
     */
    private void handOut(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!StreamSets.ofTenant(stream, record)) {
                readUpTo.put(record.partition(), record.offset() + 1);
                continue;
            }
            while (!readAhead.tryAcquire()) {
                if (!running || failure.get() != null) {
                    throw failure.get() != null ? failure.get() : new Stopping();
                }
                saveEvery(properties.push().saveInterval());
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            ConcurrentSkipListSet<Long> out = unacknowledged.get(record.partition());
            out.add(record.offset());
            readUpTo.put(record.partition(), record.offset() + 1);
            CompletableFuture<Void> previous = lastOfResource.getOrDefault(record.key(), CompletableFuture.completedFuture(null));
            CompletableFuture<Void> next = previous.thenRunAsync(() -> deliver(record), senders).whenComplete((ignored, failed) -> {
                readAhead.release();
                if (failed == null) {
                    out.remove(record.offset());
                } else if (!(failed.getCause() instanceof Stopping)) {
                    // the record stays unacknowledged: the position holds before it and the stream restarts
                    failure.compareAndSet(null, failed.getCause() instanceof RuntimeException runtime
                            ? runtime
                            : new IllegalStateException(failed.getCause()));
                }
            });
            lastOfResource.put(record.key(), next);
        }
        // resources whose last SET is out of hand need no entry: the next one of them can go at once
        lastOfResource.values().removeIf(CompletableFuture::isDone);
    }

    /** One SET of a resource, after the previous one of the same resource. */
    private void deliver(ConsumerRecord<String, byte[]> record) {
        if (!running) {
            throw new Stopping();
        }
        Optional<StreamSets.SignedSet> set = parts.sets().of(stream, record);
        if (set.isPresent()) {
            send(set.get());
        }
    }

    private int unacknowledgedCount() {
        return unacknowledged.values().stream().mapToInt(ConcurrentSkipListSet::size).sum();
    }

    private void deliverPending() {
        for (PendingSets.PendingSet pending : parts.pending().oldest(stream.id(), 100)) {
            send(new StreamSets.SignedSet(pending.jti(), pending.jwt(), null));
            parts.pending().remove(stream.id(), List.of(pending.jti()));
        }
    }

    /** Delivers one SET: returns once the receiver took it or refused it for good; retries while it is unavailable. */
    private void send(StreamSets.SignedSet set) {
        Duration backoff = properties.push().initialBackoff();
        Instant firstFailure = null;
        while (true) {
            if (!running) {
                throw new Stopping();
            }
            PushClient.Result result = parts.client().post(stream, set.jwt());
            if (result instanceof PushClient.Delivered) {
                parts.metrics().pushed(set.appliedAt());
                if (firstFailure != null) {
                    log.info("stream {}: receiver took SET {} after {} s of retries", stream.id(), set.jti(),
                            Duration.between(firstFailure, Instant.now()).toSeconds());
                }
                return;
            }
            if (result instanceof PushClient.Refused refused) {
                parts.failures().record(stream.id(), set.jti(), refused.status(), refused.error(), refused.description(), set.jwt());
                parts.metrics().refused();
                log.warn("stream {}: receiver refused SET {} with HTTP {} ({}); recorded as a delivery failure", stream.id(),
                        set.jti(), refused.status(), refused.error());
                return;
            }
            PushClient.Retry retry = (PushClient.Retry) result;
            parts.metrics().retry();
            if (firstFailure == null) {
                firstFailure = Instant.now();
                log.warn("stream {}: receiver unavailable ({}); retrying SET {} with back-off up to {}", stream.id(),
                        retry.reason(), set.jti(), properties.push().maxBackoff());
            }
            long until = System.nanoTime() + backoff.toNanos();
            while (running && System.nanoTime() < until) {
                LockSupport.parkNanos(Math.min(until - System.nanoTime(), Duration.ofMillis(250).toNanos()));
            }
            backoff = backoff.multipliedBy(2).compareTo(properties.push().maxBackoff()) > 0
                    ? properties.push().maxBackoff()
                    : backoff.multipliedBy(2);
        }
    }

    /**
     * Saves each partition's position — its first record not yet delivered or recorded, or the end of what was read —
     * when it moved and {@code interval} has passed since the last save.
     */
    private void saveEvery(Duration interval) {
        if (!interval.isZero() && System.nanoTime() - savedAt < interval.toNanos()) {
            return;
        }
        Map<Integer, Long> moved = new HashMap<>(positions);
        readUpTo.forEach((partition, upTo) -> {
            // senders remove offsets meanwhile: ceiling answers null, never throws, once the set is empty
            ConcurrentSkipListSet<Long> out = unacknowledged.get(partition);
            Long first = out == null ? null : out.ceiling(Long.MIN_VALUE);
            moved.put(partition, first == null ? upTo : Math.min(first, upTo));
        });
        if (!moved.equals(positions)) {
            parts.streams().savePositions(stream.id(), Map.copyOf(moved));
            positions.clear();
            positions.putAll(moved);
        }
        savedAt = System.nanoTime();
    }
}
