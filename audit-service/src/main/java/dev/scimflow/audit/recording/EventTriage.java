package dev.scimflow.audit.recording;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.scimflow.events.EventHeaders;
import dev.scimflow.events.TraceParent;

/**
 * What one {@code scim.events} record calls for in the audit log, decided without decoding it where its headers say
 * enough. Most events change nothing about a user's access; the worker says so in the record's headers, and such a
 * record is passed over without reading its JSON. A record without those headers (written before they existed, met in
 * a replay of the topic) and one whose headers name an active transition are decoded and judged from the event itself.
 */
sealed interface EventTriage {

    /** Nothing to record: not a deactivation or reactivation. */
    record NoAccessChange() implements EventTriage {
    }

    /** A deactivation or reactivation to append to its tenant's chain. */
    record AccessChange(DeactivationRecord record) implements EventTriage {
    }

    /** Not a usable event: logged and skipped, since no retry can make it one. */
    record Undecodable(UndecodableEvent reason) implements EventTriage {
    }

    NoAccessChange NO_ACCESS_CHANGE = new NoAccessChange();

    static EventTriage of(ConsumerRecord<String, byte[]> record) {
        if (EventHeaders.present(record.headers()) && EventHeaders.activeTransition(record.headers()) == null) {
            return NO_ACCESS_CHANGE;
        }
        try {
            return DeactivationRecord.of(ScimEventDecoder.decode(record.value()), TraceParent.traceId(record.headers()))
                    .<EventTriage>map(AccessChange::new).orElse(NO_ACCESS_CHANGE);
        } catch (UndecodableEvent e) {
            return new Undecodable(e);
        }
    }
}
