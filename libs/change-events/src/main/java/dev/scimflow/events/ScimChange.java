package dev.scimflow.events;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A SCIM write the ingress accepted, published to {@link Topics#CHANGES}. The worker applies it against
 * the current state of the resource; its {@code changeId} makes the application idempotent.
 *
 * @param body     for CREATE and REPLACE the validated resource (no id, meta or password); for PATCH the
 *                 PatchOp request as sent; for DELETE null
 * @param ifMatch  the request's If-Match header (an ETag such as {@code W/"3"}), or null
 */
public record ScimChange(
        UUID changeId,
        String tenant,
        ResourceType resourceType,
        String resourceId,
        ChangeOperation operation,
        JsonNode body,
        String ifMatch,
        Actor actor,
        String requestId,
        Instant acceptedAt,
        int schemaVersion) {

    public static final int SCHEMA_VERSION = 1;

    /** A JSON {@code null} body (as decoded from the wire) is no body. */
    public ScimChange {
        body = body == null || body.isNull() ? null : body;
    }

    public String key() {
        return Topics.resourceKey(tenant, resourceId);
    }
}
