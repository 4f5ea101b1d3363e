package dev.scimflow.audit.recording;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Records the access changes of one poll of {@code scim.events}: every record is triaged (most are passed over without
 * being decoded), the deactivations and reactivations are appended in one transaction, and the listener returns, after
 * which the batch's offsets are committed.
 *
 * <p>If anything about the batch fails, it is recorded again one record per transaction, in order, so that one record
 * that cannot be written costs no other record its place: the records before it are recorded (or found recorded), and
 * the failing one is handed to the error handler as a {@link BatchListenerFailedException}. Only then, with everything
 * before it durable, may the handler commit the offsets before it; it treats the record as a record listener would
 * ({@link EventErrorHandling}: a row the database rejects is retried a few times and then skipped, anything else, the
 * database down, is retried until it is recorded) and has the rest of the batch delivered again. Recording is
 * idempotent by event id, so nothing delivered again is recorded twice. No other exception leaves this class: Spring
 * Kafka's fallback for a plain exception from a batch listener retries the whole batch, and would skip all of it were
 * its back-off ever to run out.
 */
@Component
class RecordEventBatch {

    private static final Logger log = LoggerFactory.getLogger(RecordEventBatch.class);

    private final RecordActivationChanges recordDeactivation;
    private final AuditLag lag;

    RecordEventBatch(RecordActivationChanges recordDeactivation, AuditLag lag) {
        this.recordDeactivation = recordDeactivation;
        this.lag = lag;
    }

    void record(List<ConsumerRecord<String, byte[]>> records) {
        List<EventTriage> verdicts = new ArrayList<>(records.size());
        try {
            List<DeactivationRecord> changes = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                EventTriage verdict = EventTriage.of(record);
                verdicts.add(verdict);
                if (verdict instanceof EventTriage.AccessChange change) {
                    changes.add(change.record());
                }
            }
            if (!changes.isEmpty()) {
                lag.recorded(recordDeactivation.appendAll(changes));
            }
        } catch (RuntimeException batchFailure) {
            log.warn("Could not record {} scim.events records in one transaction, recording them one by one: {}",
                    records.size(), NestedExceptionUtils.getMostSpecificCause(batchFailure).toString());
            oneByOne(records);
            return;
        }
        // logged only now, so that a record skipped is logged once even when its batch is recorded again one by one
        for (int i = 0; i < records.size(); i++) {
            if (verdicts.get(i) instanceof EventTriage.Undecodable undecodable) {
                EventErrorHandling.skip(records.get(i), undecodable.reason());
            }
        }
    }

    private void oneByOne(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                EventTriage verdict = EventTriage.of(record);
                if (verdict instanceof EventTriage.AccessChange change) {
                    lag.recorded(recordDeactivation.appendAll(List.of(change.record())));
                } else if (verdict instanceof EventTriage.Undecodable undecodable) {
                    EventErrorHandling.skip(record, undecodable.reason());
                }
            } catch (RuntimeException e) {
                throw new BatchListenerFailedException("could not record a scim.events record", e, record);
            }
        }
    }
}
