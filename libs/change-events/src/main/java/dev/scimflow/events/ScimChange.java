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
 * @param respondAsync the client asked for an asynchronous answer ({@code Prefer: respond-async}, RFC 9967 §2.5.1.1):
 *                     it got 202 at once, and learns the outcome from a {@code misc:asyncresp} SET. Absent (false) in
 *                     changes written before it existed.
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
        int schemaVersion,
        boolean respondAsync) {

    public static final int SCHEMA_VERSION = 1;

    /** A JSON {@code null} body (as decoded from the wire) is no body. */
    public ScimChange {
        body = body == null || body.isNull() ? null : body;
    }

    /** A change answered synchronously, as every change was before asynchronous requests. */
    public ScimChange(UUID changeId, String tenant, ResourceType resourceType, String resourceId, ChangeOperation operation,
                      JsonNode body, String ifMatch, Actor actor, String requestId, Instant acceptedAt, int schemaVersion) {
        this(changeId, tenant, resourceType, resourceId, operation, body, ifMatch, actor, requestId, acceptedAt, schemaVersion, false);
    }

    /** This change, answered asynchronously. */
    public ScimChange asynchronous() {
        return new ScimChange(changeId, tenant, resourceType, resourceId, operation, body, ifMatch, actor, requestId, acceptedAt,
                schemaVersion, true);
    }

    public String key() {
        return Topics.resourceKey(tenant, resourceId);
    }
}
