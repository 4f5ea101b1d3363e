package dev.scimflow.audit.api;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** A page of the audit log, newest first, and where the next one starts (null on the last page). */
public record DeactivationPage(
                               List<Deactivation> items,
                               int count,
                               @Schema(description = "pass as cursor to get the next (older) page; null when this is the last page") String nextCursor) {
}
