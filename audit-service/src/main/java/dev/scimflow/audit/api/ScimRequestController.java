package dev.scimflow.audit.api;

import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

/** The operators' API to the tenants' request logs; the operator token is checked before any of this runs. */
@RestController
@RequestMapping("/api/v1/requests")
class ScimRequestController {

    private final ScimRequestLog log;

    ScimRequestController(ScimRequestLog log) {
        this.log = log;
    }

    @Operation(summary = "List the SCIM requests the ingress answered, newest first", description = "Method, path with the names (never the values) of its query parameters, status, the SCIM "
            + "error's scimType and detail, latency, request id and the client's User-Agent; never bodies or "
            + "tokens. Kept for a bounded time and number per tenant. Filters combine with AND. Pass "
            + "nextCursor as cursor for the next (older) page.")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    ScimRequestPage list(@ParameterObject ScimRequestFilter filter,
                         @Parameter(description = "where the page starts: nextCursor of the page before") @RequestParam(required = false) String cursor,
                         @Parameter(description = "entries per page, at most "
                                 + DeactivationQuery.MAX_LIMIT) @RequestParam(defaultValue = ""
                                         + DeactivationQuery.DEFAULT_LIMIT) int limit) {
        return log.page(filter.query(cursor, limit));
    }
}
