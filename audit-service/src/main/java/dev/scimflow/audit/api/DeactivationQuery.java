package dev.scimflow.audit.api;

import java.time.Instant;

import dev.scimflow.audit.recording.AuditAction;
import dev.scimflow.audit.recording.AuditCause;

/**
 * A checked question to the audit log: every filter optional (null = any), where to start ({@code after}, null
 * for the newest entry) and how many entries at most.
 */
public record DeactivationQuery(
                                String tenant,
                                String userName,
                                AuditAction action,
                                AuditCause cause,
                                String clientName,
                                Instant from,
                                Instant to,
                                PageCursor after,
                                int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public DeactivationQuery {
        if (limit < 1) {
            throw new InvalidQuery("limit must be at least 1");
        }
        limit = Math.min(limit, MAX_LIMIT);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidQuery("from must be before to");
        }
    }

    DeactivationQuery startingAfter(PageCursor cursor) {
        return new DeactivationQuery(tenant, userName, action, cause, clientName, from, to, cursor, limit);
    }
}
