package dev.scimflow.audit.api;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/** One entry of the audit log as operators list it: who lost or regained access, how, by whom and when. */
public record Deactivation(
                           @Schema(description = "the record's id: the id of the event it records, the same after a rebuild") String id,
                           String tenant,
                           @Schema(description = "the SCIM id of the user") String userId,
                           String userName,
                           String displayName,
                           @Schema(allowableValues = {
                                   "DEACTIVATED", "REACTIVATED"}) String action,
                           @Schema(description = "the SCIM request that changed the user's access", allowableValues = {"PATCH", "PUT",
                                   "DELETE"}) String cause,
                           @Schema(description = "the IdP client that asked for the change, as it announced itself") String clientName,
                           @Schema(description = "the id of the bearer token the IdP used; never the token itself") String tokenId,
                           @Schema(description = "the id of the SCIM request") String requestId,
                           String changeId,
                           String eventId,
                           @Schema(description = "when the ingress accepted the change") Instant changedAt,
                           @Schema(description = "when the change was committed to the user store and recorded as an event") Instant recordedAt,
                           @Schema(description = "the W3C trace id of the SCIM request (32 hex digits), as in the services' logs and the"
                                   + " tracing backend; null for records of events written without one") String traceId) {
}
