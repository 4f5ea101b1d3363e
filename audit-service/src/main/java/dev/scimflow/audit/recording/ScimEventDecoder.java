package dev.scimflow.audit.recording;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimEvent;

/** Turns the bytes of a {@code scim.events} record into an event, or says why it cannot be one. */
final class ScimEventDecoder {

    private ScimEventDecoder() {
    }

    static ScimEvent decode(byte[] value) {
        if (value == null || value.length == 0) {
            throw new UndecodableEvent("empty record value");
        }
        ScimEvent event;
        try {
            event = EventCodec.event(value);
        } catch (RuntimeException e) {
            throw new UndecodableEvent("not a SCIM event: " + e.getClass().getSimpleName(), e);
        }
        if (event == null || event.eventId() == null || event.tenant() == null || event.resourceType() == null
                || event.resourceId() == null || event.type() == null) {
            throw new UndecodableEvent("event lacks eventId, tenant, resourceType, resourceId or type");
        }
        return event;
    }
}
