package dev.scimflow.audit.api;

import java.util.Optional;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operators' JSON view of the audit log; the operator token is checked before any of this runs. */
@RestController
@RequestMapping(path = "/api/v1/deactivations", produces = MediaType.APPLICATION_JSON_VALUE)
class DeactivationController {

    private final DeactivationLog log;

    DeactivationController(DeactivationLog log) {
        this.log = log;
    }

    @GetMapping
    DeactivationPage list(@RequestParam(required = false) String tenant,
                          @RequestParam(required = false) String userName,
                          @RequestParam(defaultValue = "" + DeactivationQuery.DEFAULT_LIMIT) int limit) {
        return DeactivationPage.of(log.newest(new DeactivationQuery(tenant, userName, limit)));
    }

    @GetMapping("/{id}")
    DeactivationDetail get(@PathVariable String id) {
        return parseId(id).flatMap(log::find).orElseThrow(() -> new DeactivationNotFound(id));
    }

    /** Ids are opaque strings to operators; one that is not ours is simply not found. */
    private static Optional<Long> parseId(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
