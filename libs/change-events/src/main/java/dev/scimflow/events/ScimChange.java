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
 * @param txn          for an operation of an asynchronous bulk request, the {@code txn} of the {@code misc:asyncresp} SET
 *                     that reports its outcome: the bulk request's {@code Set-Txn}, a colon and the operation's index
 *                     (RFC 9967 §2.5.1.2); null otherwise (an asynchronous request's txn is its change id)
 * @param bulkId       the bulk operation's {@code bulkId}, reported in that SET; null otherwise
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
                         boolean respondAsync,
                         String txn,
                         String bulkId) {

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

    public ScimChange(UUID changeId, String tenant, ResourceType resourceType, String resourceId, ChangeOperation operation,
                      JsonNode body, String ifMatch, Actor actor, String requestId, Instant acceptedAt, int schemaVersion,
                      boolean respondAsync) {
        this(changeId, tenant, resourceType, resourceId, operation, body, ifMatch, actor, requestId, acceptedAt, schemaVersion,
                respondAsync, null, null);
    }

    /** This change, answered asynchronously. */
    public ScimChange asynchronous() {
        return asynchronous(null, null);
    }

    /** This change as operation {@code index} of an asynchronous bulk request answered with {@code Set-Txn: bulkTxn}. */
    public ScimChange asynchronousBulkOperation(String bulkTxn, int index, String bulkId) {
        return asynchronous(bulkTxn + ":" + index, bulkId);
    }

    private ScimChange asynchronous(String txn, String bulkId) {
        return new ScimChange(changeId, tenant, resourceType, resourceId, operation, body, ifMatch, actor, requestId, acceptedAt,
                schemaVersion, true, txn, bulkId);
    }

    public String key() {
        return Topics.resourceKey(tenant, resourceId);
    }
}
