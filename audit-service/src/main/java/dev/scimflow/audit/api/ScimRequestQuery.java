package dev.scimflow.audit.api;

import java.time.Instant;

/**
 * A checked question to the request log: every filter optional (null = any), where to start ({@code after}, null for
 * the newest entry) and how many entries at most. {@code statusClass} is the first digit of the status (4 for 4xx).
 */
public record ScimRequestQuery(
                               String tenant,
                               Integer status,
                               Integer statusClass,
                               String method,
                               String requestId,
                               Instant from,
                               Instant to,
                               PageCursor after,
                               int limit) {

    public ScimRequestQuery {
        if (limit < 1) {
            throw new InvalidQuery("limit must be at least 1");
        }
        limit = Math.min(limit, DeactivationQuery.MAX_LIMIT);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidQuery("from must be before to");
        }
    }
}
