package dev.scimflow.events;

import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * The result of applying one change, published to {@link Topics#OUTCOMES} and kept with the applied change,
 * so that the ingress can answer the IdP with the real result.
 *
 * @param status   the HTTP status the ingress answers with (201, 200, 204, 404, 409, 412, 400, ...)
 * @param resource the resource after the change (id, meta without location), null when there is none
 * @param scimType the SCIM error type when the change failed, e.g. "uniqueness"; null on success
 * @param detail   the error detail when the change failed; null on success
 * @param operation    the change's operation, for a {@code misc:asyncresp} SET's {@code method}; null in outcomes written
 *                     before it was carried
 * @param resourceType the change's resource type; null in outcomes written before it was carried
 * @param respondAsync the change was an asynchronous request: the events service reports this outcome to the tenant's
 *                     streams as a {@code misc:asyncresp} SET
 * @param txn          that SET's {@code txn} when it is not the change id (an operation of an asynchronous bulk request,
 *                     {@link ScimChange#txn()}); null otherwise
 * @param bulkId       the bulk operation's {@code bulkId}, for that SET; null otherwise
 */
public record ChangeOutcome(
                            UUID changeId,
                            String tenant,
                            String resourceId,
                            int status,
                            long version,
                            JsonNode resource,
                            String scimType,
                            String detail,
                            ChangeOperation operation,
                            ResourceType resourceType,
                            boolean respondAsync,
                            String txn,
                            String bulkId) {

    /** A JSON {@code null} resource (as decoded from the wire) is no resource. */
    public ChangeOutcome {
        resource = resource == null || resource.isNull() ? null : resource;
    }

    public ChangeOutcome(UUID changeId, String tenant, String resourceId, int status, long version, JsonNode resource,
                         String scimType, String detail) {
        this(changeId, tenant, resourceId, status, version, resource, scimType, detail, null, null, false);
    }

    public ChangeOutcome(UUID changeId, String tenant, String resourceId, int status, long version, JsonNode resource,
                         String scimType, String detail, ChangeOperation operation, ResourceType resourceType, boolean respondAsync) {
        this(changeId, tenant, resourceId, status, version, resource, scimType, detail, operation, resourceType, respondAsync,
                null, null);
    }

    /** The {@code txn} of the {@code misc:asyncresp} SET that reports this outcome (RFC 9967 §2.5.1). */
    public String asyncTxn() {
        return txn != null ? txn : String.valueOf(changeId);
    }

    public boolean succeeded() {
        return status < 400;
    }

    public static ChangeOutcome success(ScimChange change, int status, long version, JsonNode resource) {
        return new ChangeOutcome(change.changeId(), change.tenant(), change.resourceId(), status, version, resource, null, null,
                change.operation(), change.resourceType(), change.respondAsync(), change.txn(), change.bulkId());
    }

    public static ChangeOutcome failure(ScimChange change, int status, String scimType, String detail) {
        return new ChangeOutcome(change.changeId(), change.tenant(), change.resourceId(), status, 0, null, scimType, detail,
                change.operation(), change.resourceType(), change.respondAsync(), change.txn(), change.bulkId());
    }
}
