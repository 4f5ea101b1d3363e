package dev.scimflow.audit.api;

import java.time.Instant;

/** One entry of the audit log as operators list it: who lost or regained access, how, by whom and when. */
public record Deactivation(
        String id,
        String tenant,
        String userId,
        String userName,
        String displayName,
        String action,
        String cause,
        String clientName,
        String tokenId,
        String requestId,
        String changeId,
        String eventId,
        Instant changedAt,
        Instant recordedAt) {
}
