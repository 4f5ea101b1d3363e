package dev.scimflow.audit.api;

import java.io.IOException;

import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;

/** The operators' API to the audit log; the operator token is checked before any of this runs. */
@RestController
@RequestMapping("/api/v1/deactivations")
class DeactivationController {

    private final DeactivationLog log;

    DeactivationController(DeactivationLog log) {
        this.log = log;
    }

    @Operation(summary = "List deactivations and reactivations, newest first", description = "Filters combine with AND. Pass nextCursor as cursor for the next (older) page.")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    DeactivationPage list(@ParameterObject DeactivationFilter filter,
                          @Parameter(description = "where the page starts: nextCursor of the page before") @RequestParam(required = false) String cursor,
                          @Parameter(description = "entries per page, at most "
                                  + DeactivationQuery.MAX_LIMIT) @RequestParam(defaultValue = ""
                                          + DeactivationQuery.DEFAULT_LIMIT) int limit) {
        return log.page(filter.query(cursor, limit));
    }

    @Operation(summary = "Export deactivations and reactivations as CSV, newest first", description = "Every entry the filters match (from cursor on, if given), not only one page. "
            + "Fields starting with = + - @ are prefixed with an apostrophe.")
    @ApiResponse(responseCode = "200", description = "a header row, then one row per entry", content = @Content(mediaType = DeactivationCsv.MEDIA_TYPE, schema = @Schema(type = "string")))
    @GetMapping(produces = DeactivationCsv.MEDIA_TYPE)
    void export(@ParameterObject DeactivationFilter filter,
                @RequestParam(required = false) String cursor,
                HttpServletResponse response)
            throws IOException {
        DeactivationCsv.download(log, filter.query(cursor, DeactivationQuery.MAX_LIMIT), response);
    }

    @Operation(summary = "One deactivation or reactivation with the user before and after, and its chain link")
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    DeactivationDetail get(@Parameter(description = "the record's id (its event id)") @PathVariable String id) {
        return log.find(id).orElseThrow(() -> new DeactivationNotFound(id));
    }
}
