package dev.scimflow.audit.recording;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ScimEvent;
import tools.jackson.databind.JsonNode;

/**
 * One row of the audit log: a user taken out of service or put back, with who did it (token id and client),
 * by which request, when, and the user before and after.
 */
record DeactivationRecord(
        UUID eventId,
        UUID changeId,
        String tenant,
        String userId,
        AuditedUser user,
        AuditAction action,
        AuditCause cause,
        Actor actor,
        String requestId,
        Instant changedAt,
        JsonNode before,
        JsonNode after) {

    /** The record an event calls for; none unless the event deactivates or reactivates a user. */
    static Optional<DeactivationRecord> of(ScimEvent event) {
        Optional<AuditAction> action = event.deactivates() ? Optional.of(AuditAction.DEACTIVATED)
                : event.reactivates() ? Optional.of(AuditAction.REACTIVATED)
                : Optional.empty();
        return action.flatMap(taken -> AuditCause.of(event.type()).map(cause -> new DeactivationRecord(
                event.eventId(), event.changeId(), event.tenant(), event.resourceId(),
                AuditedUser.of(event.after()).or(AuditedUser.of(event.before())),
                taken, cause, event.actor() != null ? event.actor() : new Actor(null, null),
                event.requestId(), event.changedAt(), event.before(), event.after())));
    }
}
