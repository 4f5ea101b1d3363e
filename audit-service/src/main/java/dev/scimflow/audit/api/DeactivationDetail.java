package dev.scimflow.audit.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.scimflow.audit.chain.ChainLink;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** One entry of the audit log with the user as it was before and after the change, and its link in the chain. */
public record DeactivationDetail(
                                 @JsonUnwrapped Deactivation deactivation,
                                 @Schema(type = "object", description = "the SCIM User before the change") JsonNode before,
                                 @Schema(type = "object", description = "the SCIM User after the change; null for a DELETE") JsonNode after,
                                 @Schema(description = "the record's place in its tenant's hash chain") ChainLink chain,
                                 @Schema(description = "when this service wrote the row (wall clock; not part of the record, differs after a rebuild)") Instant writtenAt) {
}
