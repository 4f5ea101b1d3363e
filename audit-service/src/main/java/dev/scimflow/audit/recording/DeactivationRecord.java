package dev.scimflow.audit.recording;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import dev.scimflow.audit.chain.RecordContent;
import dev.scimflow.events.Actor;
import dev.scimflow.events.ScimEvent;
import tools.jackson.databind.JsonNode;

/**
 * One row of the audit log: a user taken out of service or put back, with who did it (token id and client),
 * by which request, when, and the user before and after. Every field comes from the event alone, so the same
 * event always gives the same record: the log can be rebuilt from {@code scim.events}.
 *
 * @param changedAt  when the ingress accepted the change (the event's changedAt, else its appliedAt)
 * @param recordedAt when the change was committed to the user store (the event's appliedAt, else its changedAt);
 *                   both to the microsecond, as PostgreSQL keeps them
 * @param traceId    the trace of the request that made the change, from the record's {@code traceparent}; null for an
 *                   event without one. It is where to look, not what happened: the record's hash does not cover it
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
                          Instant recordedAt,
                          JsonNode before,
                          JsonNode after,
                          String traceId) {

    /** The record an event calls for; none unless the event deactivates or reactivates a user. */
    static Optional<DeactivationRecord> of(ScimEvent event) {
        return of(event, null);
    }

    /** The record an event calls for, made by the request of trace {@code traceId} (or null: unknown). */
    static Optional<DeactivationRecord> of(ScimEvent event, String traceId) {
        Optional<AuditAction> action = event.deactivates()
                ? Optional.of(AuditAction.DEACTIVATED)
                : event.reactivates()
                        ? Optional.of(AuditAction.REACTIVATED)
                        : Optional.empty();
        return action.flatMap(taken -> AuditCause.of(event.type()).map(cause -> new DeactivationRecord(
                event.eventId(), event.changeId(), event.tenant(), event.resourceId(),
                AuditedUser.of(event.after()).or(AuditedUser.of(event.before())),
                taken, cause, event.actor() != null ? event.actor() : new Actor(null, null), event.requestId(),
                micros(event.changedAt() != null ? event.changedAt() : event.appliedAt(), event),
                micros(event.appliedAt() != null ? event.appliedAt() : event.changedAt(), event),
                event.before(), event.after(), traceId)));
    }

    private static Instant micros(Instant time, ScimEvent event) {
        if (time == null) {
            throw new UndecodableEvent("event " + event.eventId() + " changes a user's access but has neither changedAt nor appliedAt");
        }
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    /** What this record says, as its hash covers it. */
    RecordContent content() {
        return new RecordContent(tenant, userId, user.userName(), user.displayName(), action.name(), cause.name(),
                actor.clientName(), actor.tokenId(), requestId, Objects.toString(changeId, null),
                eventId.toString(), changedAt, recordedAt, before, after);
    }
}
