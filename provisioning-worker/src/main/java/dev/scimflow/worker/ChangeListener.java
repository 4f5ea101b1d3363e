package dev.scimflow.worker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.Topics;
import dev.scimflow.store.WalPositions;
import io.micrometer.tracing.Tracer;

/**
 * Takes the changes of each poll of {@code scim.changes} and applies them together in one transaction, then publishes
 * their outcomes and wakes the outbox relay; offsets are committed once the listener returns. If the batch fails for
 * a reason that will not pass by itself, it is applied again one change per transaction, so that the change at fault
 * is isolated exactly as a single one would be: those before it are applied and committed, and it is reported to the
 * error handler by its index ({@link BatchListenerFailedException}), which retries it a bounded number of times and
 * then dead-letters it, and re-delivers those after it. A transient failure (database or broker unreachable) is
 * reported at index 0: the whole poll is retried, with back-off, for as long as it lasts. Each change's trace goes on
 * through an apply span of its own ({@link ChangeTraces}) into the facts it makes.
 */
@Component
class ChangeListener {

    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);

    private final ApplyChanges applyChanges;
    private final OutcomePublisher outcomes;
    private final OutboxRelay outboxRelay;
    private final WalPositions walPositions;
    private final ChangeTraces traces;

    ChangeListener(ApplyChanges applyChanges, OutcomePublisher outcomes, OutboxRelay outboxRelay, WalPositions walPositions,
                   ChangeTraces traces) {
        this.applyChanges = applyChanges;
        this.outcomes = outcomes;
        this.outboxRelay = outboxRelay;
        this.walPositions = walPositions;
        this.traces = traces;
    }

    @KafkaListener(topics = Topics.CHANGES, groupId = "${scimflow.worker.group-id}", batch = "true")
    void onChanges(List<ConsumerRecord<String, byte[]>> records) {
        try (ChangeTraces.Spans spans = traces.start(records)) {
            try {
                onChanges(records, spans);
            } catch (BatchListenerFailedException e) {
                spans.failed(e.getIndex(), e.getCause() != null ? e.getCause() : e);
                throw e;
            }
        }
    }

    private void onChanges(List<ConsumerRecord<String, byte[]>> records, ChangeTraces.Spans spans) {
        List<ScimChange> changes = new ArrayList<>(records.size());
        Map<UUID, String> traceparents = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                ScimChange change = EventCodec.change(record.value());
                traceparents.put(change.changeId(), spans.traceparent(changes.size()));
                changes.add(change);
            } catch (RuntimeException e) {
                // apply those before it; the undecodable one is dead-lettered at once (not retryable)
                apply(changes, traceparents, spans);
                throw new BatchListenerFailedException("undecodable change", e, changes.size());
            }
        }
        apply(changes, traceparents, spans);
    }

    /** Applies the changes, which are the poll's first records, each continuing the trace {@code traceparents} gives. */
    private void apply(List<ScimChange> changes, Map<UUID, String> traceparents, ChangeTraces.Spans spans) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            publish(applyChanges.apply(changes, traceparents));
            return;
        } catch (RuntimeException e) {
            if (ChangeErrorHandling.isTransient(e) || changes.size() == 1) {
                throw new BatchListenerFailedException("applying changes failed", e, 0);
            }
            log.warn("a batch of {} changes failed ({}); applying them one at a time", changes.size(), e.toString());
        }
        for (int i = 0; i < changes.size(); i++) {
            try (Tracer.SpanInScope scope = spans.inScope(i)) {
                publish(applyChanges.apply(List.of(changes.get(i)), traceparents));
            } catch (RuntimeException e) {
                throw new BatchListenerFailedException("applying change " + changes.get(i).changeId() + " failed", e, i);
            }
        }
    }

    /**
     * After the commit: the WAL position read now is at or past it, and goes with every outcome for reads from a replica.
     * Should the database be unreachable just after the commit, the poll is retried like any transient failure, and its
     * changes, now found applied, are answered with their recorded outcomes and a position read then.
     */
    private void publish(List<EncodedOutcome> applied) {
        outboxRelay.publishSoon();
        long commitLsn = walPositions.current();
        applied.forEach(outcome -> outcomes.publish(outcome, commitLsn));
    }
}
