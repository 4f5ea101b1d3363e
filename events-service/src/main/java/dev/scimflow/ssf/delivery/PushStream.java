package dev.scimflow.ssf.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * {@code push.in-flight} at once, so a stream is not held to one POST's round trip per SET. A receiver that is down is
 * retried with back-off for as long as it takes, holding the stream's position; a SET it refuses for good is recorded
 * and passed. The position moves past a poll's records once every one of them was delivered or recorded, and is saved
 * then, so a crash redelivers at most one poll's SETs — the same SETs, with the same jtis.
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
    /** The stream's position per partition; read and moved by the stream's own thread only. */
    private final Map<Integer, Long> positions = new java.util.HashMap<>();
    private final java.util.concurrent.ExecutorService senders;
    private volatile boolean running = true;
    private volatile Thread thread;
    private boolean dirty;

    PushStream(StreamConfig stream, PushDeliveryParts parts, EventsProperties properties) {
        this.stream = stream;
        this.parts = parts;
        this.properties = properties;
        this.senders = java.util.concurrent.Executors.newFixedThreadPool(properties.push().inFlight(), runnable -> {
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

    /** Asks the delivery to stop and waits for it: it saves what it delivered and leaves the SET in hand for later. */
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
                deliverInParallel(records);
                long behind = 0;
                for (TopicPartition partition : partitions) {
                    behind += reader.currentLag(partition).orElse(0);
                }
                parts.metrics().behind(stream.id(), behind);
            }
        } catch (Stopping stopping) {
            // stopped while a SET was in hand: it is delivered next time, with the same jti
        } catch (RuntimeException e) {
            log.warn("delivery of stream {} stopped: {}; it is restarted from its saved position", stream.id(), e.toString());
        } finally {
            senders.shutdown();
            try {
                save();
            } catch (RuntimeException e) {
                log.warn("could not save the position of stream {}: {}", stream.id(), e.toString());
            }
        }
    }

    /**
     * Delivers a poll's records: the SETs of each resource in order, on one sender, resources side by side. Once all are
     * delivered (or recorded as refused), the stream's position moves past the poll.
     */
    private void deliverInParallel(ConsumerRecords<String, byte[]> records) {
        Map<String, List<ConsumerRecord<String, byte[]>>> resources = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (StreamSets.ofTenant(stream, record)) {
                resources.computeIfAbsent(record.key(), key -> new java.util.ArrayList<>()).add(record);
            }
        }
        List<java.util.concurrent.Future<?>> tasks = new java.util.ArrayList<>();
        for (List<ConsumerRecord<String, byte[]>> resource : resources.values()) {
            tasks.add(senders.submit(() -> deliver(resource)));
        }
        boolean stopping = false;
        RuntimeException failure = null;
        for (java.util.concurrent.Future<?> task : tasks) {
            try {
                task.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Stopping) {
                    stopping = true;
                } else {
                    failure = e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (stopping) {
            throw new Stopping();
        }
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> read = records.records(partition);
            positions.put(partition.partition(), read.get(read.size() - 1).offset() + 1);
            dirty = true;
        }
        save();
    }

    /** One resource's SETs, in order. */
    private void deliver(List<ConsumerRecord<String, byte[]>> resource) {
        for (ConsumerRecord<String, byte[]> record : resource) {
            if (!running) {
                throw new Stopping();
            }
            Optional<StreamSets.SignedSet> set = parts.sets().of(stream, record);
            if (set.isPresent()) {
                send(set.get());
            }
        }
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

    private void save() {
        if (dirty) {
            parts.streams().savePositions(stream.id(), Map.copyOf(positions));
            dirty = false;
        }
    }
}
