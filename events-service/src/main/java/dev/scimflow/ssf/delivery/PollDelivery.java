package dev.scimflow.ssf.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.scimflow.ssf.EventsProperties;
import dev.scimflow.ssf.SsfException;
import dev.scimflow.ssf.receiver.Receiver;
import dev.scimflow.ssf.stream.StreamConfig;
import dev.scimflow.ssf.stream.StreamStatus;
import dev.scimflow.ssf.stream.Streams;

/**
 * Poll delivery (RFC 8936). A poll first takes the acknowledgements and refusals, then answers with the stream's
 * unacknowledged SETs, oldest first — every SET handed out is delivered again until it is acknowledged, with its jti
 * unchanged — and then with new ones read from {@code scim.events} at the stream's position. New SETs are stored as
 * pending and the position moved past them in one transaction, so nothing handed out is forgotten and nothing is read
 * twice; a long poll waits for one up to {@code poll.long-poll-timeout}.
 */
@Service
public class PollDelivery implements DisposableBean {

    /** The SETs of one answer, by jti in delivery order, and whether more are waiting. */
    public record PollAnswer(Map<String, String> sets, boolean moreAvailable) {
    }

    private final Streams streams;
    private final PendingSets pending;
    private final DeliveryFailures failures;
    private final EventsTopic topic;
    private final StreamSets sets;
    private final TransactionTemplate transaction;
    private final EventsProperties properties;
    private final DeliveryMetrics metrics;
    private final Map<String, Consumer<String, byte[]>> readers = new ConcurrentHashMap<>();

    PollDelivery(Streams streams, PendingSets pending, DeliveryFailures failures, EventsTopic topic, StreamSets sets,
                 TransactionTemplate transaction, EventsProperties properties, DeliveryMetrics metrics) {
        this.streams = streams;
        this.pending = pending;
        this.failures = failures;
        this.topic = topic;
        this.sets = sets;
        this.transaction = transaction;
        this.properties = properties;
        this.metrics = metrics;
    }

    public PollAnswer poll(Receiver receiver, String streamId, PollRequest request) {
        StreamConfig stream = streams.find(receiver.tenant(), streamId)
                .orElseThrow(() -> SsfException.notFound("no stream " + streamId));
        if (stream.push()) {
            throw SsfException.invalidRequest("stream " + streamId + " delivers by push, not poll");
        }
        acknowledge(stream, request);
        int max = Math.min(request.maxEvents() == null ? properties.poll().maxEvents() : request.maxEvents(),
                properties.poll().maxEvents());
        if (max == 0) {
            return new PollAnswer(Map.of(), false);
        }
        Consumer<String, byte[]> reader = readers.computeIfAbsent(streamId, id -> topic.newReader("poll-" + id));
        synchronized (reader) {
            Map<String, String> answer = new LinkedHashMap<>();
            List<PendingSets.PendingSet> waiting = pending.oldest(streamId, max + 1);
            waiting.stream().limit(max).forEach(set -> answer.put(set.jti(), set.jwt()));
            boolean more = waiting.size() > max;
            if (!more && stream.status() == StreamStatus.ENABLED) {
                Instant deadline = request.returnImmediately() || !answer.isEmpty()
                        ? Instant.now()
                        : Instant.now().plus(properties.poll().longPollTimeout());
                more = readNew(stream, reader, max - answer.size(), deadline, answer);
            }
            metrics.polled(answer.size());
            return new PollAnswer(answer, more);
        }
    }

    private void acknowledge(StreamConfig stream, PollRequest request) {
        if (request.ack().isEmpty() && request.setErrs().isEmpty()) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            pending.remove(stream.id(), request.ack());
            for (PendingSets.PendingSet refused : pending.find(stream.id(), request.setErrs().keySet())) {
                PollRequest.SetError error = request.setErrs().get(refused.jti());
                failures.record(stream.id(), refused.jti(), null, error.err(), error.description(), refused.jwt());
                metrics.refused();
            }
            pending.remove(stream.id(), request.setErrs().keySet());
        });
    }

    /**
     * Reads SETs for the stream from its position until {@code wanted} are found, the topic is read to its end (and the
     * deadline passed), or the wait is over; stores them as pending with the new position. Returns whether more may wait.
     */
    private boolean readNew(StreamConfig stream, Consumer<String, byte[]> reader, int wanted, Instant deadline,
                            Map<String, String> answer) {
        Map<Integer, Long> start = streams.positions(stream.id());
        List<TopicPartition> partitions = EventsTopic.partitions(reader);
        if (!reader.assignment().containsAll(partitions)) {
            reader.assign(partitions);
        }
        for (TopicPartition partition : partitions) {
            Long position = start.get(partition.partition());
            if (position == null) {
                reader.seekToBeginning(List.of(partition));
            } else if (reader.position(partition) != position) {
                reader.seek(partition, position);
            }
        }
        Map<Integer, Long> next = new HashMap<>();
        for (TopicPartition partition : partitions) {
            next.put(partition.partition(), reader.position(partition));
        }
        List<StreamSets.SignedSet> found = new ArrayList<>();
        Instant hardStop = Instant.now().plus(properties.poll().longPollTimeout());
        boolean more = false;
        reading : while (true) {
            ConsumerRecords<String, byte[]> records = reader.poll(Duration.ofMillis(100));
            for (TopicPartition partition : records.partitions()) {
                for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                    if (found.size() == wanted) {
                        more = true;
                        break reading;
                    }
                    Optional<StreamSets.SignedSet> set = sets.of(stream, record);
                    set.ifPresent(found::add);
                    next.put(partition.partition(), record.offset() + 1);
                }
            }
            if (found.size() == wanted) {
                more = !caughtUp(reader, partitions, next);
                break;
            }
            Instant now = Instant.now();
            if (records.isEmpty() && caughtUp(reader, partitions, next) && (!found.isEmpty() || now.isAfter(deadline))) {
                break;
            }
            if (now.isAfter(hardStop)) {
                more = !caughtUp(reader, partitions, next);
                break;
            }
        }
        boolean stored = Boolean.TRUE.equals(transaction.execute(status -> {
            if (streams.lock(stream.id()).isEmpty() || !streams.positions(stream.id()).equals(start)) {
                return false; // another poll of this stream moved it meanwhile: what it read is pending already
            }
            found.forEach(set -> pending.add(stream.id(), set.jti(), set.jwt()));
            streams.savePositions(stream.id(), next);
            return true;
        }));
        if (stored) {
            found.forEach(set -> answer.put(set.jti(), set.jwt()));
        } else {
            // seek again next time, from the position the other poll saved
            partitions.forEach(partition -> reader.seek(partition, 0));
            more = true;
        }
        return more;
    }

    private static boolean caughtUp(Consumer<String, byte[]> reader, List<TopicPartition> partitions, Map<Integer, Long> next) {
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(5));
        return ends.entrySet().stream().allMatch(end -> next.getOrDefault(end.getKey().partition(), 0L) >= end.getValue());
    }

    /** Forgets the reader of a deleted stream. */
    public void forget(String streamId) {
        Consumer<String, byte[]> reader = readers.remove(streamId);
        if (reader != null) {
            synchronized (reader) {
                reader.close(Duration.ofSeconds(2));
            }
        }
    }

    @Override
    public void destroy() {
        readers.keySet().forEach(this::forget);
    }
}
