package dev.scimflow.audit.recording;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimEvent;
import tools.jackson.databind.JsonNode;

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
        return withoutNullSnapshots(event);
    }

    /**
     * Jackson decodes a JSON {@code null} snapshot into a NullNode, which {@link ScimEvent#reactivates()} would
     * take for an active user (a DELETE of an inactive user would look like a reactivation); make it null again.
     */
    private static ScimEvent withoutNullSnapshots(ScimEvent event) {
        if (present(event.before()) == event.before() && present(event.after()) == event.after()) {
            return event;
        }
        return new ScimEvent(event.eventId(), event.changeId(), event.tenant(), event.resourceType(),
                event.resourceId(), event.type(), event.version(), present(event.before()), present(event.after()),
                event.actor(), event.requestId(), event.changedAt(), event.appliedAt(), event.schemaVersion());
    }

    private static JsonNode present(JsonNode snapshot) {
        return snapshot == null || snapshot.isNull() || snapshot.isMissingNode() ? null : snapshot;
    }
}
